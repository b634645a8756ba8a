using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Sitemaps;
using ScraperSky.Data.Webhooks;

namespace ScraperSky.Data;

public static class DataServiceCollectionExtensions
{
    public const string SqliteMigrationsAssembly = "ScraperSky.Data.Sqlite";
    public const string PostgresMigrationsAssembly = "ScraperSky.Data.Postgres";

    /// Registers <see cref="ScraperSkyDbContext"/> for the provider that `Database:Provider` names, with that
    /// provider's migrations assembly.
    public static IServiceCollection AddScraperSkyData(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        services.AddSingleton(options);
        // Pooled: the options are built once and a context (with its connection object and internal services) is
        // reused, rather than built for every request and every unit of work. The context holds no state of its own.
        services.AddPooledDbContextFactory<ScraperSkyDbContext>(builder => Configure(builder, options.Provider, connectionString));
        services.TryAddScoped(provider => provider.GetRequiredService<IDbContextFactory<ScraperSkyDbContext>>().CreateDbContext());
        // Bound from the configuration passed in, so hosts without an IConfiguration service (the CLI) work too.
        services.AddOptions<JobOptions>()
            .Bind(configuration.GetSection(JobOptions.Section))
            .Validate(o => o.MaxAttempts >= 1, "Jobs:MaxAttempts must be at least 1.")
            .Validate(o => o.Concurrency >= 1, "Jobs:Concurrency must be at least 1.")
            .Validate(o => o.StartConcurrency >= 1, "Jobs:StartConcurrency must be at least 1.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(1), "Jobs:LeaseDuration must be at least one second.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Jobs:PollInterval must be positive.")
            .Validate(o => o.FirstRetryDelay >= TimeSpan.Zero, "Jobs:FirstRetryDelay must not be negative.")
            .Validate(o => o.MaxBatchSize >= 1, "Jobs:MaxBatchSize must be at least 1.")
            .Validate(o => o.MaxRunningPerTenant >= 0, "Jobs:MaxRunningPerTenant must not be negative (0 means no cap).")
            .Validate(o => o.MaxQueuedPerTenant >= 0, "Jobs:MaxQueuedPerTenant must not be negative (0 means no cap).")
            .ValidateOnStart();
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(1), "Webhooks:Timeout must be positive and at most a minute.")
            .Validate(o => o.FirstRetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.FirstRetryDelay, "Webhooks:FirstRetryDelay must be positive and at most Webhooks:MaxRetryDelay.")
            .Validate(o => o.RetryFor > TimeSpan.Zero && o.DisableAfter > TimeSpan.Zero, "Webhooks:RetryFor and Webhooks:DisableAfter must be positive.")
            .Validate(o => o.LeaseDuration > o.Timeout, "Webhooks:LeaseDuration must be longer than Webhooks:Timeout.")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.Concurrency >= 1, "Webhooks:PollInterval must be positive and Webhooks:Concurrency at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobQueueSignal>();
        services.TryAddScoped<WebhookDeliveryQueue>();
        services.TryAddScoped<JobQueue>();
        services.TryAddScoped<DatabaseMigrator>();
        services.TryAddScoped<SitemapStoreFactory>();
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseProvider provider, string? connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Database:Provider is Postgres but ConnectionStrings:ScraperSky is not set.");
                }

                builder.UseNpgsql(PostgresConnectionStrings.Prepare(connectionString), npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly))
                    .UseSnakeCaseNamingConvention();
                builder.AddInterceptors(PostgresDeferredStatements.Instance);
                break;
            default:
                builder.UseSqlite(
                    SqliteConnectionStrings.Prepare(connectionString ?? DatabaseOptions.DefaultSqliteConnectionString),
                    sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
                    .UseSnakeCaseNamingConvention();
                builder.AddInterceptors(SqliteConnectionInterceptor.Instance);
#pragma warning disable EF1001 // EF Core's provider-internal connection type, replaced by one without its SQL functions.
                builder.ReplaceService<Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal.ISqliteRelationalConnection, SqliteConnectionWithoutFunctions>();
#pragma warning restore EF1001
                break;
        }

        return builder;
    }
}

internal static class SqliteConnectionStrings
{
    /// Waits for a busy database rather than failing at once: the workers and the API write concurrently.
    public static string Prepare(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DefaultTimeout == 30)
        {
            builder.DefaultTimeout = 60;
        }

        return builder.ToString();
    }
}

internal static class PostgresConnectionStrings
{
    /// How many statement texts a connection keeps prepared (Npgsql's `Max Auto Prepare`) unless the connection string
    /// says otherwise: a job's life is a few dozen fixed statements (claim, progress, sitemap rows, completion), each
    /// otherwise parsed and planned by the server on every call.
    public const int MaxAutoPrepare = 64;

    /// Prepares statements automatically and keeps a pooled connection's session when it goes back to the pool, unless
    /// the connection string sets either. Npgsql's reset on return (`DISCARD ALL`, or a seven-statement sequence once
    /// statements are prepared) ran on the server before the first statement of every use, a dozen times per scan.
    /// Nothing here keeps session state that must not outlive a use: locks and settings are per transaction
    /// (`pg_advisory_xact_lock`, `set_config(..., true)`).
    public static string Prepare(string connectionString)
    {
        // Which keywords the string itself names (Npgsql also accepts them without spaces).
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!named.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!named.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
