namespace ScraperSky.Data.Webhooks;

/// `Webhooks:*`: how deliveries are sent and retried.
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// A delivery is a success when the receiver answers 2xx within this time.
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// The first retry comes after this delay, each next one after twice the last, up to <see cref="MaxRetryDelay"/>.
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(4);

    /// A delivery still failing this long after its event is given up as failed.
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// A webhook whose every attempt failed for this long is disabled, with the reason shown on it.
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int Concurrency { get; set; } = 8;
}
