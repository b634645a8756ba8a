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

    /// Submission options as JSON.
    public string? Options { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public List<Job> Jobs { get; set; } = [];

    public string PublicId => PublicIds.Format(PublicPrefix, Id);

    /// The status the counters imply once any job has started or ended.
    public static BatchStatus StatusFor(int total, int completed, int failed, bool anyStarted) =>
        (completed + failed) switch
        {
            var ended when ended >= total && failed == 0 => BatchStatus.Completed,
            var ended when ended >= total && completed == 0 => BatchStatus.Failed,
            var ended when ended >= total => BatchStatus.Partial,
            0 when !anyStarted => BatchStatus.Pending,
            _ => BatchStatus.InProgress,
        };
}
