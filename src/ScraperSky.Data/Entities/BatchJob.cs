namespace ScraperSky.Data.Entities;

public sealed class BatchJob
{
    public const string PublicPrefix = "batch_";

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public BatchStatus Status { get; set; }
    public int TotalJobs { get; set; }
    public int CompletedJobs { get; set; }
    public int FailedJobs { get; set; }
    public int CancelledJobs { get; set; }

    /// The last <see cref="Job.EndSequence"/> handed out to one of this batch's jobs.
    public long EndSequence { get; set; }

    /// Submission options as JSON.
    public string? Options { get; set; }

    /// For an uploaded file: its name, its header row (JSON array) and the column that held the domains.
    public string? FileName { get; set; }
    public string? Columns { get; set; }
    public string? DomainColumn { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    /// Set when the user cancelled the batch; a retry clears it.
    public DateTime? CancelledAt { get; set; }
    public List<Job> Jobs { get; set; } = [];

    public string PublicId => PublicIds.Format(PublicPrefix, Id);

    /// The status the counters imply once any job has started or ended; a cancelled batch stays cancelled until it
    /// is retried.
    public static BatchStatus StatusFor(int total, int completed, int failed, int cancelled, DateTime? cancelledAt, bool anyStarted) =>
        (completed + failed + cancelled) switch
        {
            _ when cancelledAt is not null => BatchStatus.Cancelled,
            var ended when ended >= total && failed == 0 => BatchStatus.Completed,
            var ended when ended >= total && completed == 0 => BatchStatus.Failed,
            var ended when ended >= total => BatchStatus.Partial,
            0 when !anyStarted => BatchStatus.Pending,
            _ => BatchStatus.InProgress,
        };
}
