using Microsoft.Extensions.Options;

namespace ScraperSky.Server.Workers;

public static class WorkerRegistration
{
    /// Registers the start-up migration (every role: an API-only process needs the schema too) and, unless
    /// `Server:Role` is `Api`, the scan worker pool. Needs <c>AddScraperSkyData</c> and an <c>IDomainScanner</c>.
    public static IHostApplicationBuilder AddScanWorkers(this IHostApplicationBuilder builder)
    {
        var server = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.Services.AddSingleton(Options.Create(server));
        // Hosted services start in registration order and before the server listens: migrate first.
        builder.Services.AddHostedService<MigrateOnStart>();
        if (server.RunsWorkers)
        {
            builder.Services.AddHostedService<ScanWorker>();
        }

        return builder;
    }
}
