using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Tenancy;
using ScraperSky.Scanning;
using ScraperSky.Server.Workers;

namespace ScraperSky.Cli;

/// The server's configuration sources (appsettings.json in the working directory, then the environment, e.g.
/// `Database__Provider`, `ConnectionStrings__ScraperSky`) and the Data services the commands are thin over.
public sealed class CliServices(IReadOnlyDictionary<string, string?>? settings)
{
    public async Task<T> RunAsync<T>(bool migrateSqlite, Func<IServiceProvider, Task<T>> action, CancellationToken cancellationToken)
    {
        using var host = Build(workerConcurrency: null);
        await using var scope = host.Services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider, migrateSqlite, cancellationToken);
        return await action(scope.ServiceProvider);
    }

    /// The server's worker host on the local database: the same data services, scanner and `ScanWorker` pool as a
    /// `Server:Role=Worker` process, with `Jobs:Concurrency` set by <paramref name="concurrency"/> when given. Not started.
    public async Task<IHost> CreateWorkerHostAsync(int? concurrency, CancellationToken cancellationToken)
    {
        var host = Build(concurrency ?? 0);
        await using var scope = host.Services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider, migrateSqlite: true, cancellationToken);
        return host;
    }

    /// The tenant a local command works for: the one named, which must exist, or local mode's default tenant.
    public static async Task<Guid> TenantAsync(IServiceProvider provider, Guid? named, CancellationToken cancellationToken)
    {
        var db = provider.GetRequiredService<ScraperSkyDbContext>();
        if (named is { } id)
        {
            return await db.Tenants.AnyAsync(t => t.Id == id, cancellationToken)
                ? id
                : throw new CliException($"Tenant {id:D} does not exist: 'scrapersky tenants list' shows the tenants.");
        }

        await provider.GetRequiredService<TenantStore>().EnsureTenantAsync(Tenant.DefaultId, cancellationToken);
        return Tenant.DefaultId;
    }

    private IHost Build(int? workerConcurrency)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
            DisableDefaults = false,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Progress and results are the command's to print; the services' logs would break the progress bar.
        builder.Logging.ClearProviders();
        builder.Services.AddScraperSkyData(builder.Configuration);
        builder.Services.AddScoped<TenantStore>();
        builder.Services.AddScanning(builder.Configuration);
        builder.Services.AddScoped<JobSubmission>();
        if (workerConcurrency is { } concurrency)
        {
            var overrides = new Dictionary<string, string?> { ["Server:Role"] = nameof(ServerRole.Worker) };
            if (concurrency > 0)
            {
                overrides["Jobs:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
            }

            builder.Configuration.AddInMemoryCollection(overrides);
            builder.AddScanWorkers();
            builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder.Build();
    }

    private static async Task MigrateAsync(IServiceProvider provider, bool migrateSqlite, CancellationToken cancellationToken)
    {
        // As on server start: the embedded SQLite database is brought up to date before use.
        if (migrateSqlite && provider.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Sqlite)
        {
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }
    }
}
