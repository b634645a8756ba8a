using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Sitemaps;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Robots;
using ScraperSky.Scanning.Sitemaps;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Benchmarks.Sitemaps;

/// The load run of issue 4: a 1,000,000-URL index (20 files of 50,000) fetched from the fleet over loopback HTTP by
/// the production collector and stored in a fresh SQLite file by the production store. Prints the elapsed time, the
/// URLs stored and the process's peak RSS (VmHWM; the fleet serving the files runs in this process too, so the
/// figure is an upper bound on the collector's own). Targets: at most 30 s and 300 MB.
///
///   dotnet run -c Release --project bench/ScraperSky.Benchmarks -- sitemap-load [files] [urls-per-file]
public static class SitemapLoadRun
{
    public const string Command = "sitemap-load";

    public static async Task<int> RunAsync(string[] args)
    {
        var files = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var perFile = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        var domain = $"f{files}-u{perFile}.sm-gen.test";
        var database = Path.Combine(Path.GetTempPath(), $"scrapersky-load-{Guid.NewGuid():N}.db");
        await using var fleet = await TestSiteFleet.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Scanning:HostMap:test"] = fleet.HostMapValue,
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:ScraperSky"] = $"Data Source={database}",
            ["Sitemaps:MaxUrlsPerDomain"] = (files * (long)perFile).ToString(CultureInfo.InvariantCulture),
        }).Build();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddScanning(configuration)
            .AddScraperSkyData(configuration)
            .BuildServiceProvider();
        try
        {
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            }

            await using var run = services.CreateAsyncScope();
            var store = run.ServiceProvider.GetRequiredService<SitemapStoreFactory>().Create(Tenant.DefaultId, domain);
            var collector = run.ServiceProvider.GetRequiredService<SitemapCollector>();
            var robots = run.ServiceProvider.GetRequiredService<RobotsPolicy>();

            var clock = Stopwatch.StartNew();
            var summary = await collector.CollectAsync(domain, robots, [], store, CancellationToken.None);
            clock.Stop();

            await using var db = await run.ServiceProvider.GetRequiredService<IDbContextFactory<ScraperSkyDbContext>>().CreateDbContextAsync();
            var stored = await db.SitemapUrls.LongCountAsync(u => u.Domain == domain);
            Console.WriteLine($"sitemap load run: {summary.Files} files, {summary.Urls:N0} URLs collected, {stored:N0} rows stored");
            Console.WriteLine($"elapsed: {clock.Elapsed.TotalSeconds:0.00} s (process CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.0} s, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
            Console.WriteLine($"peak RSS (VmHWM): {PeakRssMiB():0} MiB");
            foreach (var error in summary.Errors)
            {
                Console.WriteLine($"error: {error}");
            }

            return stored == files * (long)perFile ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static double PeakRssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kib = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kib / 1024.0;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
