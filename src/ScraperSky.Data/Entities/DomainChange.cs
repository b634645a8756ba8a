namespace ScraperSky.Data.Entities;

/// One typed difference between two consecutive scans of a domain (see <c>ChangeTypes</c>), written with the scan
/// that revealed it. Immutable; <see cref="Id"/> is a sequence, so the feed pages by it.
public sealed class DomainChange
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Domain { get; set; }
    public required string Type { get; set; }

    /// The fact that changed: `technologies`, `emails`, `social_links.linkedin`, `status` ...
    public required string Field { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public Guid ScanId { get; set; }
    public Guid? PreviousScanId { get; set; }
    public DateTime DetectedAt { get; set; }
}
