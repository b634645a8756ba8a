using ScraperSky.Data;
using ScraperSky.Data.Entities;

namespace ScraperSky.Server.Webhooks;

/// `POST /api/v1/webhooks`: where to send which events; `secret` is generated (and shown once) when left out.
public sealed record CreateWebhookRequest
{
    public string? Url { get; init; }
    public IReadOnlyList<string>? Events { get; init; }
    public string? Secret { get; init; }
    public Guid? TenantId { get; init; }
}

/// A webhook as listed: never its secret. `disabled_reason` says why deliveries stopped.
public sealed record WebhookView(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    DateTime CreatedAt,
    DateTime? DisabledAt,
    string? DisabledReason,
    int ConsecutiveFailures,
    DateTime? FailingSince)
{
    public static WebhookView From(Webhook webhook) => new(
        webhook.PublicId, webhook.Url, webhook.Events, webhook.CreatedAt, webhook.DisabledAt, webhook.DisabledReason,
        webhook.ConsecutiveFailures, webhook.FailingSince);
}

/// The answer to a creation: the webhook and its secret, the only time the secret is shown.
public sealed record WebhookCreated(string Id, string Url, IReadOnlyList<string> Events, DateTime CreatedAt, string Secret);

public sealed record WebhookList(IReadOnlyList<WebhookView> Items);

/// One event for one webhook: `pending` (waiting for its next attempt), `delivered` or `failed` (given up).
public sealed record WebhookDeliveryView(
    string Id,
    string EventId,
    string EventType,
    string Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime? NextAttemptAt,
    DateTime? DeliveredAt,
    int? LastStatusCode,
    string? LastError)
{
    public static WebhookDeliveryView From(WebhookDelivery d) => new(
        PublicIds.Format(WebhookDelivery.PublicPrefix, d.Id),
        PublicIds.Format(Data.Webhooks.WebhookEvents.EventPrefix, d.EventId),
        d.EventType,
        EnumNames.ToWire(d.Status),
        d.Attempts,
        d.CreatedAt,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null,
        d.DeliveredAt,
        d.LastStatusCode,
        d.LastError);
}

public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryView> Items, string? NextCursor);
