using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Tests.Migrations;

public abstract class MigrationTests(DatabaseProvider provider)
{
    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task A_fresh_database_migrates_from_zero_to_the_latest_migration()
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        await using var scope = database.CreateScope();
        var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();
        var ct = TestContext.Current.CancellationToken;

        var applied = await migrator.MigrateAsync(ct);
        var again = await migrator.MigrateAsync(ct);

        await using var db = database.CreateContext();
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Empty(again);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        Assert.Equal("default", (await db.Tenants.SingleAsync(t => t.Id == Tenant.DefaultId, ct)).Name);
        Assert.Equal(0, await db.Jobs.CountAsync(ct) + await db.BatchJobs.CountAsync(ct) + await db.Domains.CountAsync(ct));
    }

    [Fact]
    public async Task Every_index_of_the_model_exists_after_migrating_even_where_a_migration_rebuilt_its_table()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();
        var expected = db.Model.GetEntityTypes().SelectMany(e => e.GetIndexes()).Select(i => i.GetDatabaseName()).Order().ToList();

        var actual = await (provider == DatabaseProvider.Sqlite
                ? db.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'")
                : db.Database.SqlQuery<string>($"SELECT indexname AS \"Value\" FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ix_%'"))
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Contains("ix_jobs_batch_id_id", expected);
        Assert.Equal(expected, actual.Order());
    }
}

public sealed class SqliteMigrationTests() : MigrationTests(DatabaseProvider.Sqlite)
{
    [Fact]
    public async Task Sqlite_connections_run_in_wal_mode()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}

public sealed class PostgresMigrationTests() : MigrationTests(DatabaseProvider.Postgres)
{
    /// Results are stored compressed out of line; lz4 (this PostgreSQL is built with it) rather than pglz.
    [Fact]
    public async Task A_large_scan_result_is_stored_compressed_with_lz4()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await database.EnqueueAsync("large.test");
        var queue = database.CreateQueue();
        var claim = (await queue.ClaimAsync("worker-1", 1, ct)).Single();
        var metadata = new Scanning.SiteMetadata
        {
            Title = "Large",
            Description = string.Concat(Enumerable.Range(0, 2_000).Select(i => $"line {i} of a long description; ")),
        };

        Assert.True(await queue.CompleteAsync(claim, metadata, null, ct));

        await using var db = database.CreateContext();
        var compression = await db.Database.SqlQuery<string>(
            $"SELECT pg_column_compression(result) AS \"Value\" FROM domain_scans WHERE job_id = {claim.Id}").SingleAsync(ct);
        Assert.Equal("lz4", compression);
        Assert.Equal(metadata.Description, await db.Database.SqlQuery<string>(
            $"SELECT result ->> 'description' AS \"Value\" FROM domain_scans WHERE job_id = {claim.Id}").SingleAsync(ct));
    }
}
