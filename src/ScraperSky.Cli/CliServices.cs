using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScraperSky.Data;
using ScraperSky.Data.Tenancy;

namespace ScraperSky.Cli;

/// The server's configuration sources (appsettings.json in the working directory, then the environment, e.g.
/// `Database__Provider`, `ConnectionStrings__ScraperSky`) and the Data services the commands are thin over.
public sealed class CliServices(IReadOnlyDictionary<string, string?>? settings)
{
    public async Task<T> RunAsync<T>(bool migrateSqlite, Func<IServiceProvider, Task<T>> action, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.Services.AddScraperSkyData(builder.Configuration);
        builder.Services.AddScoped<TenantStore>();
        await using var provider = builder.Services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        // As on server start: the embedded SQLite database is brought up to date before use.
        if (migrateSqlite && provider.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Sqlite)
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }

        return await action(scope.ServiceProvider);
    }
}
