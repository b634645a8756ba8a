using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Tests.Domains;

/// A database written by the first release (results in `jobs.result` and `domains.metadata`) migrates to the one
/// home of results with nothing lost.
public abstract class ResultsHomeMigrationTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Result = """
        {"title":"Shop","description":"We sell","language":"en","is_wordpress":true,"wordpress_version":"6.4.2",
         "social_links":{"facebook":"https://facebook.com/shop","tiktok":"https://tiktok.com/@shop"},
         "final_url":"https://shop.test/",
         "technologies":[{"name":"WordPress","categories":["CMS","Blogs"],"version":"6.4.2","confidence":100},
                         {"name":"jQuery","categories":["JavaScript libraries"],"version":null,"confidence":100}],
         "sitemaps":{"files":1,"urls":25}}
        """;

    [Fact]
    public async Task Stored_scans_batches_and_domains_move_to_their_new_home_with_nothing_lost()
    {
        await using var database = await TestDatabase.CreateAsync(provider, migrate: false);
        await using (var db = database.CreateContext())
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(db.Database.GetMigrations().First(), Ct);
            await SeedFirstReleaseAsync(db);
            await migrator.MigrateAsync(cancellationToken: Ct);
        }

        await using var after = database.CreateContext();
        var scans = await after.DomainScans.AsNoTracking().OrderBy(s => s.Status).ToListAsync(Ct);
        Assert.Equal([JobStatus.Completed, JobStatus.Failed], scans.Select(s => s.Status));
        Assert.Equal((Done, "shop.test", (Guid?)Batch, CompletedAt), (scans[0].JobId, scans[0].Domain, scans[0].BatchId, scans[0].ScannedAt));
        using (var stored = JsonDocument.Parse(scans[0].Result!))
        using (var original = JsonDocument.Parse(Result))
        {
            Assert.True(JsonElement.DeepEquals(original.RootElement, stored.RootElement));
        }

        Assert.Equal((Gone, "The site answered 404", (string?)null), (scans[1].JobId, scans[1].Error, scans[1].Result));

        var domain = await after.Domains.AsNoTracking().SingleAsync(Ct);
        Assert.Equal("Shop", domain.Title);
        Assert.Equal(["info@shop.test"], domain.Emails);
        Assert.Equal(["+1 212-555-0100"], domain.Phones);
        Assert.Equal(["WordPress 6.4.2", "jQuery"], domain.Technologies);
        Assert.Equal(["WordPress", "jQuery"], domain.TechnologyNames);
        Assert.Equal(["Blogs", "CMS", "JavaScript libraries"], domain.TechnologyCategories.Order(StringComparer.Ordinal));
        Assert.Equal(("https://tiktok.com/@shop", "https://shop.test/", (long?)25), (domain.TiktokUrl, domain.FinalUrl, domain.SitemapUrlCount));
        Assert.Equal((JobStatus.Completed, (Guid?)Done, 1, (DateTime?)CompletedAt), (domain.LastStatus, domain.LastJobId, domain.ScanCount, domain.LastCompletedAt));

        var entries = await after.BatchEntries.AsNoTracking().OrderBy(e => e.Row).ToListAsync(Ct);
        Assert.Equal(new[] { (1, "shop.test", Done), (2, "gone.test", Gone), (3, "not a domain", Invalid) },
            entries.Select(e => (e.Row, e.Input, e.JobId)));
        var batch = await after.BatchJobs.AsNoTracking().SingleAsync(Ct);
        Assert.Equal((3L, 0, (DateTime?)null), (batch.EndSequence, batch.CancelledJobs, batch.CancelledAt));
        var sequences = await after.Jobs.AsNoTracking().OrderBy(j => j.EndSequence).Select(j => j.EndSequence).ToListAsync(Ct);
        Assert.Equal([1L, 2L, 3L], sequences.Select(s => s!.Value));
    }

    private static readonly Guid Batch = Guid.Parse("01900000-0000-7000-8000-000000000001");
    private static readonly Guid Done = Guid.Parse("01900000-0000-7000-8000-000000000010");
    private static readonly Guid Gone = Guid.Parse("01900000-0000-7000-8000-000000000011");
    private static readonly Guid Invalid = Guid.Parse("01900000-0000-7000-8000-000000000012");
    private static readonly DateTime CreatedAt = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime CompletedAt = new(2026, 1, 5, 9, 0, 3, DateTimeKind.Utc);

    /// The rows the first release wrote for a batch of three entries: a completed scan, a failed one and an invalid entry.
    private async Task SeedFirstReleaseAsync(ScraperSkyDbContext db)
    {
        var tenant = Tenant.DefaultId;
        var (failedAt, invalidAt) = (CompletedAt.AddSeconds(1), CreatedAt);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO batch_jobs (id, tenant_id, status, total_jobs, completed_jobs, failed_jobs, created_at, started_at, completed_at)
            VALUES ({Batch}, {tenant}, 'partial', 3, 1, 2, {CreatedAt}, {CreatedAt}, {failedAt})
            """, Ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO jobs (id, tenant_id, type, domain, batch_id, status, error, attempts, max_attempts, next_attempt_at, created_at, started_at, completed_at)
            VALUES ({Gone}, {tenant}, 'domain_scan', 'gone.test', {Batch}, 'failed', 'The site answered 404', 1, 3, {CreatedAt}, {CreatedAt}, {CreatedAt}, {failedAt}),
                   ({Invalid}, {tenant}, 'domain_scan', 'not a domain', {Batch}, 'failed', 'Invalid domain format: not a domain', 0, 3, {CreatedAt}, {CreatedAt}, NULL, {invalidAt})
            """, Ct);
        if (provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO jobs (id, tenant_id, type, domain, batch_id, status, result, attempts, max_attempts, next_attempt_at, created_at, started_at, completed_at)
                VALUES ({Done}, {tenant}, 'domain_scan', 'shop.test', {Batch}, 'completed', {Result}::jsonb, 1, 3, {CreatedAt}, {CreatedAt}, {CreatedAt}, {CompletedAt})
                """, Ct);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO domains (id, tenant_id, name, title, is_wordpress, has_elementor, email_addresses, phone_numbers, metadata,
                                     first_scan_at, last_scan_at, scan_count, created_at, updated_at)
                VALUES ({Guid.CreateVersion7()}, {tenant}, 'shop.test', 'Shop', TRUE, FALSE, ARRAY['info@shop.test'], ARRAY['+1 212-555-0100'],
                        {Result}::jsonb, {CompletedAt}, {CompletedAt}, 1, {CompletedAt}, {CompletedAt})
                """, Ct);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO jobs (id, tenant_id, type, domain, batch_id, status, result, attempts, max_attempts, next_attempt_at, created_at, started_at, completed_at)
                VALUES ({Done}, {tenant}, 'domain_scan', 'shop.test', {Batch}, 'completed', {Result}, 1, 3, {CreatedAt}, {CreatedAt}, {CreatedAt}, {CompletedAt})
                """, Ct);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO domains (id, tenant_id, name, title, is_wordpress, has_elementor, email_addresses, phone_numbers, metadata,
                                     first_scan_at, last_scan_at, scan_count, created_at, updated_at)
                VALUES ({Guid.CreateVersion7()}, {tenant}, 'shop.test', 'Shop', 1, 0, '["info@shop.test"]', '["+1 212-555-0100"]',
                        {Result}, {CompletedAt}, {CompletedAt}, 1, {CompletedAt}, {CompletedAt})
                """, Ct);
        }
    }
}

public sealed class SqliteResultsHomeMigrationTests() : ResultsHomeMigrationTests(DatabaseProvider.Sqlite);

public sealed class PostgresResultsHomeMigrationTests() : ResultsHomeMigrationTests(DatabaseProvider.Postgres);
