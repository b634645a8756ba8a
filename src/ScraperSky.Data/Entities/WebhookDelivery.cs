namespace ScraperSky.Data.Entities;

/// One event for one webhook: the outbox row, written in the transaction of the event. <see cref="Body"/> is the JSON
/// exactly as it is sent (the signature covers those bytes, and a redelivery sends the same ones with the same `id`).
public sealed class WebhookDelivery
{
    public const string PublicPrefix = "whd_";

    public Guid Id { get; set; }
    public Guid WebhookId { get; set; }
    public Guid TenantId { get; set; }

    /// The `id` in the body: the same for every webhook the event went to and for every attempt.
    public Guid EventId { get; set; }
    public required string EventType { get; set; }
    public required string Body { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public int? LastStatusCode { get; set; }
    public DateTime? DeliveredAt { get; set; }

    /// Held by a sender while it posts; an expired lease (the process died) makes the row due again.
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
}

public enum DeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}
