namespace ScraperSky.Data.Entities;

public enum JobStatus
{
    Pending,
    Running,
    Completed,
    Failed,
}

public enum BatchStatus
{
    Pending,
    InProgress,
    Completed,
    Failed,
    Partial,
}

public static class JobTypes
{
    public const string DomainScan = "domain_scan";
}
