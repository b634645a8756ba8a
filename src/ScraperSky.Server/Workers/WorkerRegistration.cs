using Microsoft.Extensions.Options;

namespace ScraperSky.Server.Workers;

public static class WorkerRegistration
{
    /// Registers the scan worker pool and the webhook delivery worker unless `Server:Role` is `Api`. Needs <c>AddScraperSkyData</c> and an
    /// <c>IDomainScanner</c> (<c>AddScanning</c>).
    public static IHostApplicationBuilder AddScanWorkers(this IHostApplicationBuilder builder)
    {
        var server = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.Services.AddSingleton(Options.Create(server));
        if (server.RunsWorkers)
        {
            builder.Services.AddHostedService<ScanWorker>();
            builder.Services.AddHostedService<Webhooks.WebhookDeliveryWorker>();
        }

        return builder;
    }
}
