namespace ScraperSky.Data.Jobs;

/// A job this process holds a lease on. <see cref="Owner"/> and <see cref="Attempts"/> together fence every later
/// write: once the lease is lost (expired and claimed again), none of this claim's writes land.
public sealed record ClaimedJob
{
    public required Guid Id { get; init; }
    public required Guid TenantId { get; init; }
    public required string Domain { get; init; }
    public Guid? BatchId { get; init; }
    public string? Options { get; init; }
    public required int Attempts { get; init; }
    public required int MaxAttempts { get; init; }
    public required string Owner { get; init; }

    public string PublicId => PublicIds.Format(Entities.Job.PublicPrefix, Id);
}

public enum FailureOutcome
{
    /// Back to pending, due again after a backoff delay.
    Retrying,

    /// Ended as failed; the batch counted it.
    Failed,

    /// The lease was no longer ours; nothing was written.
    LeaseLost,
}
