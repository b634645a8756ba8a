using Microsoft.Extensions.Options;
using ScraperSky.Data.Webhooks;

namespace ScraperSky.Server.Webhooks;

/// Sends the webhook outbox: a round of due deliveries, then, when there was nothing to send, a pause of
/// `Webhooks:PollInterval`. Each round has its own scope. A failed round (the database restarting) is logged and the
/// next one tries again; deliveries in flight at shutdown keep their leases, which expire, and are sent again.
internal sealed partial class WebhookDeliveryWorker(
    IServiceScopeFactory scopes, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDeliveryWorker> logger)
    : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/webhooks/{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var sent = 0;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    sent = await scope.ServiceProvider.GetRequiredService<WebhookDispatcher>().RunOnceAsync(_owner, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRoundFailed(logger, e);
                }

                if (sent == 0)
                {
                    await Task.Delay(options.Value.PollInterval, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of webhook deliveries failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
