using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;

namespace ScraperSky.Benchmarks;

/// A full-size batch submitted to the SQLite default: every entry normalised, one transaction for the batch and all
/// its job rows. `dotnet run -c Release --project bench/ScraperSky.Benchmarks -- --filter "*BatchSubmission*"`
[MemoryDiagnoser]
public class BatchSubmissionBenchmarks
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"scrapersky-bench-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = null!;
    private string?[] _domains = [];

    [Params(10_000)]
    public int Domains { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:ScraperSky"] = $"Data Source={_file}",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddScraperSkyData(configuration);
        services.AddScoped<JobSubmission>();
        _services = services.BuildServiceProvider();
        using var scope = _services.CreateScope();
        scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        // Mostly valid and distinct, with some duplicates after normalisation and some invalid entries, as users send.
        _domains = Enumerable.Range(0, Domains)
            .Select(i => (i % 20) switch
            {
                0 => $"not a domain {i}",
                1 => $"https://www.site{i - 1}.com/",
                _ => $"site{i}.com",
            })
            .ToArray();
    }

    [Benchmark]
    public async Task<int> SubmitBatch()
    {
        await using var scope = _services.CreateAsyncScope();
        var submitted = await scope.ServiceProvider.GetRequiredService<JobSubmission>()
            .SubmitBatchAsync(Tenant.DefaultId, _domains, new ScanJobOptions(), CancellationToken.None);
        return submitted.JobCount;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }
}
