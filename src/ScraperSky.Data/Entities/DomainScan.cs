namespace ScraperSky.Data.Entities;

/// One scan of a domain that ended, immutable: the only copy of a completed scan's full result (`metadata`), or the
/// reason a scan failed. The domain's history, newest first, is these rows.
public sealed class DomainScan
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Domain { get; set; }
    public Guid JobId { get; set; }
    public Guid? BatchId { get; set; }

    /// Completed or Failed.
    public JobStatus Status { get; set; }
    public DateTime ScannedAt { get; set; }

    /// The v1 `metadata` object (with our added fields) as JSON; null for a failed scan.
    public string? Result { get; set; }
    public string? Error { get; set; }
}
