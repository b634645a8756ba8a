namespace ScraperSky.Server.Scans;

/// Members are properties, not constructor parameters, so that a type error names the field's type.
public sealed record ScanSubmission
{
    public string? BaseUrl { get; init; }
    public Guid? TenantId { get; init; }
    public int? MaxPages { get; init; }

    /// Added: false skips reading the site's sitemaps (default true).
    public bool? IncludeSitemaps { get; init; }
}

public sealed record ScanAccepted(string JobId, string StatusUrl);

/// Field order follows the v1 contract; `domain` is added after the v1 fields.
public sealed record ScanStatus(
    string JobId,
    string Status,
    DateTime StartedAt,
    DateTime? CompletedAt,
    StoredJson? Metadata,
    string? Error,
    ScanProgressView Progress,
    string Domain);

public sealed record ScanProgressView(string Step, string Message);
