using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using ScraperSky.Data;
using ScraperSky.Scanning;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Hosting;

/// The few lines printed once the server listens: where the web UI is, whether it needs API keys, which database it
/// uses (never a password), and a warning when the build is not optimised. Written to standard output whatever the log level, since it is for the person who
/// started the server rather than for a log.
public static class StartupBanner
{
    public static WebApplication ShowStartupBanner(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
            var database = Describe(app.Services.GetRequiredService<DatabaseOptions>().Provider,
                app.Configuration.GetConnectionString(DatabaseOptions.ConnectionStringName));
            Console.Out.Write(Compose(addresses.ToList(), auth.RequireApiKey, database,
                ScannerOptimized));
            Console.Out.Flush();
        });
        return app;
    }

    public static string Compose(IReadOnlyList<string> addresses, bool requireApiKey, string database, bool optimized)
    {
        var ui = addresses.Count > 0 ? BrowsableUrl(addresses[0]) : "(no address)";
        var access = !requireApiKey && LocalMode.ListensOnlyOnLoopback(addresses)
            ? "local mode: no API key needed from this machine"
            : "API keys required (X-API-Key or Authorization: Bearer)";
        var build = optimized ? "" : $"  build:    {UnoptimizedBuild}\n";
        return $"ScraperSky is running: web UI {ui}  API docs {ui}docs\n  access:   {access}\n  database: {database}\n{build}\n";
    }

    public const string UnoptimizedBuild =
        "Debug, not optimised: scans take twice the CPU and run at half the pace (dotnet run -c Release)";

    /// Whether the server's and the scanner's code were compiled with optimisations (the CLI's local batches run them too).
    public static bool ScannerOptimized => IsOptimized(typeof(StartupBanner).Assembly) && IsOptimized(typeof(ExtractionLane).Assembly);

    /// Whether <paramref name="assembly"/> was compiled with optimisations: a Debug build's code stays unoptimised at
    /// every tier (load-run, 1,000 domains on a running server: 19-20 ms of CPU per domain against 7-8 for Release,
    /// 81-91 domains/s against 183-191).
    public static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    /// The provider and where its data lives: a SQLite file's full path, or a PostgreSQL host, port and database.
    public static string Describe(DatabaseProvider provider, string? connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var sqlite = new SqliteConnectionStringBuilder(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString);
            var file = string.IsNullOrEmpty(sqlite.DataSource) || sqlite.DataSource == ":memory:"
                ? sqlite.DataSource
                : Path.GetFullPath(sqlite.DataSource);
            return $"SQLite {file}";
        }

        var postgres = new NpgsqlConnectionStringBuilder(connectionString ?? "");
        return $"PostgreSQL {postgres.Host}:{postgres.Port}/{postgres.Database}";
    }

    // A wildcard address is not one to type into a browser: this machine answers it as localhost.
    private static string BrowsableUrl(string address)
    {
        var url = address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return url.EndsWith('/') ? url : url + "/";
    }
}
