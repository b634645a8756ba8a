namespace ScraperSky.Data.Entities;

/// A durable unit of work: a row with explicit states, a lease and an attempt count. Its result is not here: a
/// completed scan is a <see cref="DomainScan"/> row.
public sealed class Job
{
    public const string PublicPrefix = "scan_";

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Type { get; set; }

    /// The normalised domain, or the entry as submitted when it was not a valid domain.
    public required string Domain { get; set; }
    public Guid? BatchId { get; set; }
    public BatchJob? Batch { get; set; }
    public JobStatus Status { get; set; }
    public string? ProgressStep { get; set; }
    public string? ProgressMessage { get; set; }

    /// Scan options as JSON (max_pages and the like).
    public string? Options { get; set; }
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public int MaxAttempts { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// For a batch's job that has ended: its place in the order the batch's jobs ended (1, 2, ...), the id of its
    /// event in the batch's event stream. A retried job gets a new one when it ends again.
    public long? EndSequence { get; set; }

    public string PublicId => PublicIds.Format(PublicPrefix, Id);
}
