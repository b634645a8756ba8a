using Microsoft.Extensions.Options;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Webhooks;

namespace ScraperSky.Server.Webhooks;

/// One round of delivery: claims the due deliveries (up to `Webhooks:Concurrency`), posts them side by side and
/// records each outcome. The worker runs rounds; tests run them one at a time on a moved clock.
public sealed partial class WebhookDispatcher(
    WebhookDeliveryQueue queue, WebhookSender sender, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger)
{
    /// Returns how many deliveries were attempted.
    public async Task<int> RunOnceAsync(string owner, CancellationToken cancellationToken)
    {
        var claimed = await queue.ClaimAsync(owner, options.Value.Concurrency, cancellationToken);
        await Task.WhenAll(claimed.Select(d => DeliverAsync(d, cancellationToken)));
        return claimed.Count;
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var outcome = await sender.SendAsync(delivery, cancellationToken);
        if (outcome.Delivered)
        {
            await queue.DeliveredAsync(delivery, outcome.StatusCode!.Value, cancellationToken);
            return;
        }

        var status = await queue.FailedAsync(delivery, outcome.Error!, outcome.StatusCode, cancellationToken);
        if (status == DeliveryStatus.Failed)
        {
            LogGaveUp(logger, delivery.Id, delivery.Attempts, outcome.Error!);
        }
        else
        {
            LogRetrying(logger, delivery.Id, delivery.Attempts, outcome.Error!);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} attempt {Attempt} failed, will retry: {Error}")]
    private static partial void LogRetrying(ILogger logger, Guid deliveryId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} failed after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, Guid deliveryId, int attempts, string error);
}
