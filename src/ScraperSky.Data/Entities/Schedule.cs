namespace ScraperSky.Data.Entities;

/// A recurring re-scan: what to scan (a domain list, a batch's domains, or a domain search), how often (`every` or
/// `cron`) and with which options. Each run is an ordinary batch; <see cref="NextRunAt"/> is the only thing runners
/// race for, and the one that advances it submits the run.
public sealed class Schedule
{
    public const string PublicPrefix = "sched_";

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// The target is exactly one of: these normalised domains, the domains of <see cref="SourceBatchId"/> as they are
    /// at run time, or the tenant's domains that match <see cref="Filter"/> (a ScheduleFilter as JSON) at run time.
    public List<string> Domains { get; set; } = [];
    public Guid? SourceBatchId { get; set; }
    public string? Filter { get; set; }

    /// An ISO 8601 duration (`P7D`), or a five-field cron expression read in <see cref="TimeZone"/> (UTC when null).
    public string? Every { get; set; }
    public string? Cron { get; set; }
    public string? TimeZone { get; set; }

    /// The scan options of each run's batch, as JSON (ScanJobOptions).
    public string? Options { get; set; }
    public ScheduleState State { get; set; }
    public DateTime NextRunAt { get; set; }
    public DateTime? LastRunAt { get; set; }
    public Guid? LastBatchId { get; set; }

    /// What was amiss with the last due run: why it submitted nothing (no domains, a full queue ...) or that its target
    /// was cut to the batch size; null when it submitted its whole target.
    public string? LastError { get; set; }

    /// How many runs submitted a batch.
    public int RunCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    public string PublicId => PublicIds.Format(PublicPrefix, Id);
}
