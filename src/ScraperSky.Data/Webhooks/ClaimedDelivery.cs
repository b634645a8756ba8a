namespace ScraperSky.Data.Webhooks;

/// A delivery leased to one sender, with what it needs to post and sign it.
public sealed record ClaimedDelivery(
    Guid Id, Guid WebhookId, string Url, string Secret, string EventType, string Body, int Attempts, DateTime CreatedAt, string Owner);
