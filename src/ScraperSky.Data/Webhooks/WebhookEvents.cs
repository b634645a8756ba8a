namespace ScraperSky.Data.Webhooks;

/// The event types a webhook subscribes to.
public static class WebhookEvents
{
    public const string BatchCompleted = "batch.completed";
    public const string ScanCompleted = "scan.completed";
    public const string DomainChanged = "domain.changed";

    public static IReadOnlyList<string> All { get; } = [BatchCompleted, ScanCompleted, DomainChanged];

    public const string EventPrefix = "evt_";
}
