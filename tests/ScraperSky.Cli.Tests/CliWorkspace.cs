using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Cli.Tests;

/// A folder and a SQLite database of its own for one test, and the environment that points the CLI (and a server)
/// at them and at the test-site fleet.
public sealed class CliWorkspace : IAsyncDisposable
{
    public CliWorkspace(TestSiteFleet fleet)
    {
        Directory.CreateDirectory(Folder);
        Environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__ScraperSky"] = $"Data Source={DatabasePath}",
            ["Scanning__HostMap__test"] = fleet.HostMapValue,
            ["Scanning__CheckMx"] = "false",
            ["Jobs__MaxAttempts"] = "1",
            ["Jobs__PollInterval"] = "00:00:00.200",
            ["NO_COLOR"] = "1",
        };
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"scrapersky-cli-{Guid.NewGuid():N}");

    public string DatabasePath => Path.Combine(Folder, "scrapersky.db");

    public Dictionary<string, string> Environment { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    public Task<CliResult> RunAsync(params string[] args) => CliProcess.RunAsync(Folder, Environment, null, args);

    public Task<CliResult> RunWithInputAsync(string input, params string[] args) => CliProcess.RunAsync(Folder, Environment, input, args);

    public ScraperSkyDbContext Database()
    {
        var builder = new DbContextOptionsBuilder<ScraperSkyDbContext>();
        DataServiceCollectionExtensions.Configure(builder, DatabaseProvider.Sqlite, $"Data Source={DatabasePath}");
        return new ScraperSkyDbContext(builder.Options);
    }

    public static string Seconds(double seconds) => TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A process that was killed may still hold a file for a moment; the temp folder is cleaned eventually.
        }

        return ValueTask.CompletedTask;
    }
}
