using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Testing.Postgres;

namespace ScraperSky.Data.Tests;

/// A fresh, migrated database of one provider (a temporary SQLite file, or a new database on the shared PostgreSQL
/// test cluster), wired through the production registration <see cref="DataServiceCollectionExtensions.AddScraperSkyData"/>
/// with a <see cref="FakeTimeProvider"/>.
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string? _sqliteFile;

    private TestDatabase(ServiceProvider services, DatabaseProvider provider, string connectionString, string? sqliteFile)
    {
        _services = services;
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteFile = sqliteFile;
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public FakeTimeProvider Time => (FakeTimeProvider)_services.GetRequiredService<TimeProvider>();
    public JobOptions Options => _services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobOptions>>().Value;

    public static async Task<TestDatabase> CreateAsync(
        DatabaseProvider provider, Action<JobOptions>? configure = null, bool migrate = true, Action<IServiceCollection>? services = null)
    {
        string connectionString;
        string? sqliteFile = null;
        if (provider == DatabaseProvider.Postgres)
        {
            var server = await PostgresServer.SharedAsync();
            connectionString = await server.CreateDatabaseAsync("data");
        }
        else
        {
            sqliteFile = Path.Combine(Path.GetTempPath(), $"scrapersky-test-{Guid.NewGuid():N}.db");
            connectionString = $"Data Source={sqliteFile}";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:ScraperSky"] = connectionString,
        }).Build();
        var collection = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)))
            .AddScraperSkyData(configuration);
        collection.Configure<JobOptions>(o => configure?.Invoke(o));
        services?.Invoke(collection);
        var database = new TestDatabase(collection.BuildServiceProvider(), provider, connectionString, sqliteFile);
        if (migrate)
        {
            await using var scope = database._services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        }

        return database;
    }

    public AsyncServiceScope CreateScope() => _services.CreateAsyncScope();

    public ScraperSkyDbContext CreateContext() =>
        _services.GetRequiredService<IDbContextFactory<ScraperSkyDbContext>>().CreateDbContext();

    /// A queue with its own scope, as each worker slot has.
    public JobQueue CreateQueue() => _services.CreateScope().ServiceProvider.GetRequiredService<JobQueue>();

    /// Inserts a batch and its pending jobs the way batch submission does.
    public async Task<(Guid BatchId, List<Guid> JobIds)> EnqueueBatchAsync(IEnumerable<string> domains, Guid? tenantId = null)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var tenant = tenantId ?? Tenant.DefaultId;
        var batch = new BatchJob { Id = Guid.CreateVersion7(), TenantId = tenant, Status = BatchStatus.Pending, CreatedAt = now };
        foreach (var domain in domains)
        {
            batch.Jobs.Add(NewJob(domain, tenant, now));
        }

        batch.TotalJobs = batch.Jobs.Count;
        await using var db = CreateContext();
        db.BatchJobs.Add(batch);
        await db.SaveChangesAsync();
        return (batch.Id, batch.Jobs.Select(j => j.Id).ToList());
    }

    /// Inserts one pending job the way a single-scan submission does.
    public async Task<Guid> EnqueueAsync(string domain, Guid? tenantId = null)
    {
        var job = NewJob(domain, tenantId ?? Tenant.DefaultId, Time.GetUtcNow().UtcDateTime);
        await using var db = CreateContext();
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    public async Task<Guid> AddTenantAsync(string name)
    {
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = name, CreatedAt = Time.GetUtcNow().UtcDateTime };
        await using var db = CreateContext();
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        return tenant.Id;
    }

    public async Task<Job> JobAsync(Guid id)
    {
        await using var db = CreateContext();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id);
    }

    public async Task<BatchJob> BatchAsync(Guid id)
    {
        await using var db = CreateContext();
        return await db.BatchJobs.AsNoTracking().SingleAsync(b => b.Id == id);
    }

    private Job NewJob(string domain, Guid tenant, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenant,
        Type = JobTypes.DomainScan,
        Domain = domain,
        Status = JobStatus.Pending,
        MaxAttempts = Options.MaxAttempts,
        NextAttemptAt = now,
        CreatedAt = now,
    };

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
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
