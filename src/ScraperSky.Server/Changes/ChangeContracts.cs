using Microsoft.AspNetCore.Mvc;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Server.Changes;

/// The query of the change listings: filters, paging and format.
public sealed record ChangeQuery
{
    /// Changes detected at or after this time.
    [FromQuery(Name = "since")] public DateTime? Since { get; init; }

    /// One change type, e.g. `tech_added`.
    [FromQuery(Name = "type")] public string? Type { get; init; }

    /// One domain (the feed only; the domain's own listing names it in the path).
    [FromQuery(Name = "domain")] public string? Domain { get; init; }
    [FromQuery(Name = "limit")] public int? Limit { get; init; }
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    /// `json` (default), `csv`, `xlsx` or `jsonl`; the files hold every matching change, unpaged.
    [FromQuery(Name = "format")] public string? Format { get; init; }
    [FromQuery(Name = "tenant_id")] public Guid? TenantId { get; init; }
}

/// One typed change between two consecutive scans of a domain. `from` and `to` are text: a technology as "Name
/// version", an address, a URL, a count; `previous_scan_id` is the scan compared with.
public sealed record ChangeView(
    long Id,
    string Type,
    string Domain,
    string Field,
    string? From,
    string? To,
    string ScanId,
    string? PreviousScanId,
    DateTime DetectedAt)
{
    public static ChangeView Of(DomainChange change) => new(
        change.Id, change.Type, change.Domain, change.Field, change.From, change.To, change.ScanId.ToString("N"),
        change.PreviousScanId?.ToString("N"), change.DetectedAt);

    /// The export columns, in order; columns are only ever added at the end.
    public static IReadOnlyList<TableColumn<ChangeView>> Columns { get; } =
    [
        new("id", c => c.Id),
        new("detected_at", c => c.DetectedAt),
        new("domain", c => c.Domain),
        new("type", c => c.Type),
        new("field", c => c.Field),
        new("from", c => c.From),
        new("to", c => c.To),
        new("scan_id", c => c.ScanId),
        new("previous_scan_id", c => c.PreviousScanId),
    ];
}

public sealed record ChangePage(IReadOnlyList<ChangeView> Items, string? NextCursor);
