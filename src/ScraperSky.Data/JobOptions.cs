namespace ScraperSky.Data;

/// The `Jobs` configuration section: retries, leases and the worker pool.
public sealed class JobOptions
{
    public const string Section = "Jobs";

    public int MaxAttempts { get; set; } = 3;

    /// Delay before the first retry; each later one doubles it, with jitter.
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// How long a claimed job stays with its worker without a renewal; an expired lease is claimed again.
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// The most scans one process runs at once; scans wait on the network, so this is well above the core count. The
    /// worker pool starts at <see cref="StartConcurrency"/> (or this, when lower) and grows toward it while the CPU has room.
    public int Concurrency { get; set; } = 128;

    /// Scans the worker pool starts with and never shrinks below (at most <see cref="Concurrency"/>). Each scan in flight
    /// beyond about 32 costs memory (they fill the page budget, `Scanning:PagesInFlightBytes`); set to
    /// <see cref="Concurrency"/>, the pool runs that many scans whatever the CPU, which is how a load run measures a fixed
    /// number.
    public int StartConcurrency { get; set; } = 32;

    /// How often an idle worker looks for due jobs.
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// Largest batch a client may submit.
    public int MaxBatchSize { get; set; } = 10_000;

    /// Scans one tenant may have running at once across every process; 0 leaves it to fair claiming alone. A cap
    /// below the total worker count keeps slots free for other tenants while one tenant's long scans run.
    public int MaxRunningPerTenant { get; set; }

    /// Pending jobs one tenant may have waiting; a submission that would pass it is refused. 0 means no cap.
    public int MaxQueuedPerTenant { get; set; } = 100_000;
}
