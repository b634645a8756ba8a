using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using ScraperSky.Data;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Hosting;

/// The few lines printed once the server listens: where the web UI is, whether it needs API keys, and which database
/// it uses (never a password). Written to standard output whatever the log level, since it is for the person who
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
            Console.Out.Write(Compose(addresses.ToList(), auth.RequireApiKey, database));
            Console.Out.Flush();
        });
        return app;
    }

    public static string Compose(IReadOnlyList<string> addresses, bool requireApiKey, string database)
    {
        var ui = addresses.Count > 0 ? BrowsableUrl(addresses[0]) : "(no address)";
        var access = !requireApiKey && LocalMode.ListensOnlyOnLoopback(addresses)
            ? "local mode: no API key needed from this machine"
            : "API keys required (X-API-Key or Authorization: Bearer)";
        return $"""
                ScraperSky is running: web UI {ui}  API docs {ui}docs
                  access:   {access}
                  database: {database}

                """;
    }

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
