namespace ScraperSky.Data.Entities;

/// A tenant's subscription: events of the listed types are POSTed to <see cref="Url"/>, signed with
/// <see cref="Secret"/>. The secret is kept as it is (not hashed) because every delivery is signed with it.
public sealed class Webhook
{
    public const string PublicPrefix = "wh_";

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Url { get; set; }
    public List<string> Events { get; set; } = [];
    public required string Secret { get; set; }
    public DateTime CreatedAt { get; set; }

    /// Set when the endpoint kept failing for `Webhooks:DisableAfter`; <see cref="DisabledReason"/> says why.
    public DateTime? DisabledAt { get; set; }
    public string? DisabledReason { get; set; }

    /// Failed attempts since the last success, and when that run of failures began.
    public int ConsecutiveFailures { get; set; }
    public DateTime? FailingSince { get; set; }

    public string PublicId => PublicIds.Format(PublicPrefix, Id);
}
