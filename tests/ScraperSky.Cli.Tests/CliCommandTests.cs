using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using ScraperSky.Data;
using ScraperSky.Data.Tenancy;
using ScraperSky.Testing.Postgres;

namespace ScraperSky.Cli.Tests;

/// The commands run in process against a real database, configured as the server is.
public sealed partial class CliCommandTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"scrapersky-cli-{Guid.NewGuid():N}.db");

    private Dictionary<string, string?> Sqlite => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:ScraperSky"] = $"Data Source={_path}",
    };

    [GeneratedRegex(@"^tenant_id: (?<id>[0-9a-f-]{36})$", RegexOptions.Multiline)]
    private static partial Regex TenantLine();

    [GeneratedRegex(@"^key_id: (?<id>[0-9a-f-]{36})$", RegexOptions.Multiline)]
    private static partial Regex KeyIdLine();

    [GeneratedRegex(@"^api_key: (?<key>ssk_[0-9a-f]{64})$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [Fact]
    public async Task Tenants_create_prints_a_key_once_that_authenticates_as_the_new_tenant()
    {
        var (code, output, _) = await RunAsync(Sqlite, "tenants", "create", "--name", "Acme");

        Assert.Equal(0, code);
        var tenantId = Guid.Parse(TenantLine().Match(output).Groups["id"].Value);
        var key = KeyLine().Match(output).Groups["key"].Value;
        await using var db = Context(Sqlite);
        Assert.Equal("Acme", (await db.Tenants.SingleAsync(t => t.Id == tenantId, TestContext.Current.CancellationToken)).Name);
        var store = new TenantStore(db, TimeProvider.System);
        Assert.Equal(tenantId, (await store.FindActiveKeyAsync(key, TestContext.Current.CancellationToken))?.TenantId);
        Assert.False(await db.ApiKeys.AnyAsync(k => k.KeyHash == key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Keys_create_adds_a_key_and_keys_revoke_makes_it_useless()
    {
        var (_, created, _) = await RunAsync(Sqlite, "tenants", "create", "--name", "Beta");
        var tenantId = TenantLine().Match(created).Groups["id"].Value;

        var (code, output, _) = await RunAsync(Sqlite, "keys", "create", "--tenant", tenantId, "--name", "ci");
        Assert.Equal(0, code);
        var keyId = KeyIdLine().Match(output).Groups["id"].Value;
        var key = KeyLine().Match(output).Groups["key"].Value;
        await using (var db = Context(Sqlite))
        {
            Assert.Equal("ci", (await db.ApiKeys.SingleAsync(k => k.Id == Guid.Parse(keyId), TestContext.Current.CancellationToken)).Name);
            Assert.NotNull(await new TenantStore(db, TimeProvider.System).FindActiveKeyAsync(key, TestContext.Current.CancellationToken));
        }

        var (revokeCode, revokeOutput, _) = await RunAsync(Sqlite, "keys", "revoke", keyId);
        Assert.Equal(0, revokeCode);
        Assert.Contains(keyId, revokeOutput, StringComparison.Ordinal);
        await using (var db = Context(Sqlite))
        {
            Assert.Null(await new TenantStore(db, TimeProvider.System).FindActiveKeyAsync(key, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Keys_for_an_unknown_tenant_or_an_unknown_key_fail_with_a_message()
    {
        var unknown = Guid.NewGuid().ToString("D");
        var (createCode, _, createError) = await RunAsync(Sqlite, "keys", "create", "--tenant", unknown);
        Assert.Equal(2, createCode);
        Assert.Contains($"Tenant {unknown} does not exist", createError, StringComparison.Ordinal);

        var (revokeCode, _, revokeError) = await RunAsync(Sqlite, "keys", "revoke", unknown);
        Assert.Equal(2, revokeCode);
        Assert.Contains($"API key {unknown} does not exist", revokeError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenants_create_without_a_name_is_refused()
    {
        var (code, _, error) = await RunAsync(Sqlite, "tenants", "create");
        Assert.NotEqual(0, code);
        Assert.Contains("--name", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_creates_the_postgres_schema_and_is_idempotent()
    {
        var server = await PostgresServer.SharedAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:ScraperSky"] = await server.CreateDatabaseAsync("cli"),
        };

        var (code, output, _) = await RunAsync(settings, "migrate");
        Assert.Equal(0, code);
        Assert.Contains("InitialCreate", output, StringComparison.Ordinal);
        var (again, againOutput, _) = await RunAsync(settings, "migrate");
        Assert.Equal(0, again);
        Assert.Contains("up to date", againOutput, StringComparison.Ordinal);

        var (createCode, created, _) = await RunAsync(settings, "tenants", "create", "--name", "Gamma");
        Assert.Equal(0, createCode);
        await using var db = Context(settings);
        Assert.True(await db.Tenants.AnyAsync(t => t.Id == Guid.Parse(TenantLine().Match(created).Groups["id"].Value), TestContext.Current.CancellationToken));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Last_used_time_of_a_key_is_recorded_at_most_once_a_minute()
    {
        var (_, created, _) = await RunAsync(Sqlite, "tenants", "create", "--name", "Delta");
        var key = KeyLine().Match(created).Groups["key"].Value;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var db = Context(Sqlite);
        var store = new TenantStore(db, time);

        var identity = await store.FindActiveKeyAsync(key, TestContext.Current.CancellationToken);
        Assert.NotNull(identity);
        Assert.Equal(time.GetUtcNow().UtcDateTime, await LastUsedAsync(db, identity.KeyId));
        time.Advance(TimeSpan.FromSeconds(30));
        await store.FindActiveKeyAsync(key, TestContext.Current.CancellationToken);
        Assert.Equal(time.GetUtcNow().UtcDateTime.AddSeconds(-30), await LastUsedAsync(db, identity.KeyId));
        time.Advance(TimeSpan.FromSeconds(31));
        await store.FindActiveKeyAsync(key, TestContext.Current.CancellationToken);
        Assert.Equal(time.GetUtcNow().UtcDateTime, await LastUsedAsync(db, identity.KeyId));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return ValueTask.CompletedTask;
    }

    private static Task<DateTime?> LastUsedAsync(ScraperSkyDbContext db, Guid keyId) =>
        db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId).Select(k => k.LastUsedAt).SingleAsync(TestContext.Current.CancellationToken);

    private static async Task<(int Code, string Output, string Error)> RunAsync(
        IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApplication.RunAsync(args, settings, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static ScraperSkyDbContext Context(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = new DbContextOptionsBuilder<ScraperSkyDbContext>();
        DataServiceCollectionExtensions.Configure(
            builder,
            Enum.Parse<DatabaseProvider>(settings["Database:Provider"]!),
            settings["ConnectionStrings:ScraperSky"]);
        return new ScraperSkyDbContext(builder.Options);
    }
}
