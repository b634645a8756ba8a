using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;
using ScraperSky.Testing.Postgres;

namespace ScraperSky.Benchmarks.Jobs;

/// The queue's own cost per job, without any scanning: claim (32 at a time, as a full worker pool does) and complete
/// (domain upsert, job result, batch counters in one transaction), on a real SQLite file and a real PostgreSQL database.
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class JobQueueBenchmarks
{
    private const int JobsPerIteration = 200;
    private static readonly SiteMetadata Metadata = new()
    {
        Title = "Generated site",
        Description = "A page of typical size for the metadata columns",
        Language = "en",
        ContactInfo = new ContactInfo { Email = ["info@site.test"], Phone = ["+1 212-555-0100"] },
        TechStack = new TechStack { Cms = ["WordPress"], Analytics = ["Google Analytics"] },
    };

    private ServiceProvider _services = null!;
    private string? _sqliteFile;
    private int _iteration;

    [Params(DatabaseProvider.Sqlite, DatabaseProvider.Postgres)]
    public DatabaseProvider Provider { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        string connectionString;
        if (Provider == DatabaseProvider.Postgres)
        {
            connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("bench");
        }
        else
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"scrapersky-bench-{Guid.NewGuid():N}.db");
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
    }

    [IterationSetup]
    public void EnqueueBatch()
    {
        using var scope = _services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ScraperSkyDbContext>();
        var now = DateTime.UtcNow;
        var iteration = ++_iteration;
        var batch = new BatchJob { Id = Guid.CreateVersion7(), TenantId = Tenant.DefaultId, Status = BatchStatus.Pending, TotalJobs = JobsPerIteration, CreatedAt = now };
        batch.Jobs.AddRange(Enumerable.Range(0, JobsPerIteration).Select(i => new Job
        {
            Id = Guid.CreateVersion7(),
            TenantId = Tenant.DefaultId,
            Type = JobTypes.DomainScan,
            Domain = $"site-{iteration}-{i}.test",
            Status = JobStatus.Pending,
            MaxAttempts = 3,
            NextAttemptAt = now,
            CreatedAt = now,
        }));
        db.BatchJobs.Add(batch);
        db.SaveChanges();
    }

    [Benchmark(OperationsPerInvoke = JobsPerIteration)]
    public async Task ClaimAndCompleteOneJob()
    {
        using var scope = _services.CreateScope();
        var queue = scope.ServiceProvider.GetRequiredService<JobQueue>();
        while (await queue.ClaimAsync("bench-worker", 32, CancellationToken.None) is { Count: > 0 } claimed)
        {
            foreach (var job in claimed)
            {
                await queue.CompleteAsync(job, Metadata, null, CancellationToken.None);
            }
        }
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
