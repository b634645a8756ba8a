using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data;
using ScraperSky.Data.Tenancy;
using ScraperSky.Testing.Postgres;

namespace ScraperSky.Server.Tests.Api;

public sealed record TestTenant(Guid Id, string Key, Guid KeyId);

/// The server in process over one database. Workers are off (`Server:Role=Api`) so job states change only when a
/// test changes them. Two tenants with keys and one revoked key are created at start.
public abstract class ApiFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public TestTenant TenantA { get; private set; } = null!;
    public TestTenant TenantB { get; private set; } = null!;
    public string RevokedKey { get; private set; } = "";

    protected abstract ValueTask<Dictionary<string, string?>> DatabaseSettingsAsync();

    /// Settings on top of the defaults: keys required, rate limits out of the way.
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    /// Services replaced for the tests of one fixture (a fake clock, say).
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async ValueTask InitializeAsync()
    {
        var settings = await DatabaseSettingsAsync();
        settings["Server:Role"] = "Api";
        settings["Logging:LogLevel:Default"] = "Warning";
        // A test that makes an insert fail on purpose needs no error log of it.
        settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None";
        settings["Auth:RequireApiKey"] = "true";
        settings["RateLimits:ReadsPerWindow"] = "1000000";
        settings["RateLimits:SubmissionsPerWindow"] = "1000000";
        settings["RateLimits:BatchesPerWindow"] = "1000000";
        Configure(settings);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(ConfigureServices);
        });

        TenantA = await CreateTenantAsync("tenant a");
        TenantB = await CreateTenantAsync("tenant b");
        var revoked = await CreateTenantAsync("tenant with a revoked key");
        await WithServiceAsync<TenantStore, bool>(store => store.RevokeKeyAsync(revoked.KeyId, CancellationToken.None));
        RevokedKey = revoked.Key;
    }

    public async Task<TestTenant> CreateTenantAsync(string name)
    {
        var (tenant, key) = await WithServiceAsync<TenantStore, (Data.Entities.Tenant, IssuedApiKey)>(
            store => store.CreateTenantAsync(name, CancellationToken.None));
        return new TestTenant(tenant.Id, key.Key, key.Id);
    }

    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = Factory.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return client;
    }

    public HttpClient CreateClient(TestTenant tenant) => CreateClient(tenant.Key);

    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<T> WithDbAsync<T>(Func<ScraperSkyDbContext, Task<T>> action) => WithServiceAsync(action);

    public Task UpdateDbAsync(Func<ScraperSkyDbContext, Task> action) =>
        WithServiceAsync<ScraperSkyDbContext, bool>(async db =>
        {
            await action(db);
            return true;
        });

    public virtual async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public class SqliteApiFixture : ApiFixture
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"scrapersky-api-{Guid.NewGuid():N}.db");

    protected override ValueTask<Dictionary<string, string?>> DatabaseSettingsAsync() => ValueTask.FromResult(
        new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:ScraperSky"] = $"Data Source={_path}",
        });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}

public class PostgresApiFixture : ApiFixture
{
    protected override async ValueTask<Dictionary<string, string?>> DatabaseSettingsAsync()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("api");
        return new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:ScraperSky"] = connectionString,
            ["migrate"] = "true",
        };
    }
}

/// Reading responses as JSON documents keeps the assertions on the wire names, not on our own types.
public static class ApiResponses
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

    public static async Task<string> DetailAsync(this HttpResponseMessage response) =>
        (await response.JsonAsync()).GetProperty("detail").GetString() ?? "";

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string body, string mediaType = "application/json") =>
        client.PostAsync(url, new StringContent(body, System.Text.Encoding.UTF8, mediaType), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> GetPathAsync(this HttpClient client, string url) =>
        client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
}
