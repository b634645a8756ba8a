namespace ScraperSky.Data.Entities;

public enum JobStatus
{
    Pending,
    Running,
    Completed,
    Failed,

    /// Taken off the queue by the user before it ran (cancelling a batch); a retry queues it again.
    Cancelled,
}

public enum BatchStatus
{
    Pending,
    InProgress,
    Completed,
    Failed,
    Partial,

    /// The user cancelled it: its pending jobs were cancelled, its running ones finish.
    Cancelled,
}

public static class JobTypes
{
    public const string DomainScan = "domain_scan";
}
