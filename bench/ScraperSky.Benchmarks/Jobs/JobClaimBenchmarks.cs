using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Testing.Postgres;

namespace ScraperSky.Benchmarks.Jobs;

/// One claim against a deep queue: 100,000 pending jobs of one tenant in ten batches, a few other tenants with a job
/// each. Each invocation claims <see cref="Limit"/> jobs (1 is what a worker asks for when one slot frees) and puts
/// them back in one statement, so every claim sees the same queue.
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class JobClaimBenchmarks
{
    private const int Batches = 10;
    private const int JobsPerBatch = 10_000;
    private const int OtherTenants = 5;

    private ServiceProvider _services = null!;
    private string? _sqliteFile;

    [Params(DatabaseProvider.Sqlite, DatabaseProvider.Postgres)]
    public DatabaseProvider Provider { get; set; }

    [Params(1, 32)]
    public int Limit { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        string connectionString;
        if (Provider == DatabaseProvider.Postgres)
        {
            connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("claimbench");
        }
        else
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"scrapersky-claimbench-{Guid.NewGuid():N}.db");
            connectionString = $"Data Source={_sqliteFile}";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["ConnectionStrings:ScraperSky"] = connectionString,
        }).Build();
        _services = new ServiceCollection().AddLogging().AddScraperSkyData(configuration).BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);

        var now = DateTime.UtcNow;
        var db = scope.ServiceProvider.GetRequiredService<ScraperSkyDbContext>();
        var bulk = new Tenant { Id = Guid.CreateVersion7(), Name = "bulk", CreatedAt = now };
        db.Tenants.Add(bulk);
        for (var t = 0; t < OtherTenants; t++)
        {
            var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = $"small-{t}", CreatedAt = now };
            db.Tenants.Add(tenant);
            db.Jobs.Add(NewJob(tenant.Id, null, $"small-{t}.test", now));
        }

        await db.SaveChangesAsync();
        for (var b = 0; b < Batches; b++)
        {
            var batch = new BatchJob { Id = Guid.CreateVersion7(), TenantId = bulk.Id, Status = BatchStatus.Pending, TotalJobs = JobsPerBatch, CreatedAt = now };
            db.BatchJobs.Add(batch);
            db.Jobs.AddRange(Enumerable.Range(0, JobsPerBatch).Select(i => NewJob(bulk.Id, batch.Id, $"site-{b}-{i}.test", now)));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        if (Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE jobs");
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
        }
    }

    private static Job NewJob(Guid tenantId, Guid? batchId, string domain, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        BatchId = batchId,
        Type = JobTypes.DomainScan,
        Domain = domain,
        Status = JobStatus.Pending,
        MaxAttempts = 3,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    [Benchmark]
    public async Task<int> ClaimFromDeepQueue()
    {
        await using var scope = _services.CreateAsyncScope();
        var claimed = await scope.ServiceProvider.GetRequiredService<JobQueue>().ClaimAsync("bench-worker", Limit, CancellationToken.None);
        var ids = claimed.Select(c => c.Id).ToList();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ScraperSkyDbContext>>().CreateDbContextAsync();
        await db.Jobs.Where(j => ids.Contains(j.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, JobStatus.Pending)
            .SetProperty(j => j.Attempts, 0)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null));
        return claimed.Count;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
