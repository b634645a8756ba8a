using Microsoft.Extensions.Options;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Server.Webhooks;

public static class WebhookRegistration
{
    /// The webhook endpoints' URL guard and the sender's HttpClient, built like the scanner's: the guarded connector
    /// with the `Scanning:HostMap` routes, no redirects, no proxy. The delivery worker is registered with the scan
    /// workers (<c>AddScanWorkers</c>).
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WebhookUrlGuard>();
        builder.Services.AddScoped<WebhookSender>();
        builder.Services.AddScoped<WebhookDispatcher>();
        builder.Services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.TryAddWithoutValidation(
                    "User-Agent", sp.GetRequiredService<IOptions<ScanningOptions>>().Value.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
                WebFetcher.CreateHandler(sp.GetRequiredService<IOptions<ScanningOptions>>().Value));
        return builder;
    }
}
