using ScraperSky.Data;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Server.Exports;

/// One scan in a domain's history, as the exports list it.
public sealed record ScanRecord(Guid Id, Guid JobId, Guid? BatchId, JobStatus Status, string? Error, DateTime ScannedAt, DomainFacts? Facts);

/// One entry of a batch with its job's outcome and that scan's facts.
public sealed record BatchResultRow(
    int Row, string Input, IReadOnlyList<string>? Cells, string? Domain, Guid JobId, JobStatus Status, string? Error,
    DateTime? ScannedAt, DomainFacts? Facts);

/// The columns of every export, in order. Columns are only ever added at the end of a list, never renamed or
/// reordered, so a spreadsheet built on an export keeps working; the README lists them.
public static class ResultColumns
{
    public static IReadOnlyList<TableColumn<DomainRecord>> Domains { get; } =
    [
        new("domain", r => r.Domain),
        new("status", r => EnumNames.ToWire(r.Status)),
        new("error", r => r.Error),
        .. Facts<DomainRecord>(r => r.Facts),
        new("first_scan_at", r => r.FirstScanAt),
        new("last_scan_at", r => r.LastScanAt),
        new("scan_count", r => r.ScanCount),
        new("job_id", r => r.LastJobId is { } id ? PublicIds.Format(Job.PublicPrefix, id) : null),
    ];

    public static IReadOnlyList<TableColumn<ScanRecord>> Scans { get; } =
    [
        new("scan_id", s => s.Id.ToString("N")),
        new("job_id", s => PublicIds.Format(Job.PublicPrefix, s.JobId)),
        new("batch_id", s => s.BatchId is { } id ? PublicIds.Format(BatchJob.PublicPrefix, id) : null),
        new("status", s => EnumNames.ToWire(s.Status)),
        new("error", s => s.Error),
        new("scanned_at", s => s.ScannedAt),
        .. Facts<ScanRecord>(s => s.Facts),
    ];

    /// A batch's results: for an uploaded file its own columns first, then ours.
    public static IReadOnlyList<TableColumn<BatchResultRow>> BatchResults(IReadOnlyList<string>? originalColumns)
    {
        List<TableColumn<BatchResultRow>> ours =
        [
            new("row", r => r.Row),
            new("input", r => r.Input),
            new("domain", r => r.Domain),
            new("status", r => EnumNames.ToWire(r.Status)),
            new("error", r => r.Error),
            new("job_id", r => PublicIds.Format(Job.PublicPrefix, r.JobId)),
            new("scanned_at", r => r.ScannedAt),
            .. Facts<BatchResultRow>(r => r.Facts),
        ];
        if (originalColumns is null || originalColumns.Count == 0)
        {
            return ours;
        }

        // A file column named like one of ours keeps its cells under "original <name>", so no name is listed twice.
        var taken = ours.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var original = originalColumns.Select((name, i) => new TableColumn<BatchResultRow>(
            taken.Contains(name) ? $"original {name}" : name,
            r => r.Cells is { } cells && i < cells.Count ? cells[i] : null));
        return [.. original, .. ours];
    }

    private static IEnumerable<TableColumn<T>> Facts<T>(Func<T, DomainFacts?> facts) =>
    [
        new("title", r => facts(r)?.Title),
        new("description", r => facts(r)?.Description),
        new("language", r => facts(r)?.Language),
        new("final_url", r => facts(r)?.FinalUrl),
        new("emails", r => facts(r)?.Emails),
        new("phones", r => facts(r)?.Phones),
        new("facebook", r => facts(r)?.Facebook),
        new("twitter", r => facts(r)?.Twitter),
        new("linkedin", r => facts(r)?.Linkedin),
        new("instagram", r => facts(r)?.Instagram),
        new("youtube", r => facts(r)?.Youtube),
        new("tiktok", r => facts(r)?.Tiktok),
        new("pinterest", r => facts(r)?.Pinterest),
        new("is_wordpress", r => facts(r)?.IsWordpress),
        new("wordpress_version", r => facts(r)?.WordpressVersion),
        new("has_elementor", r => facts(r)?.HasElementor),
        new("technologies", r => facts(r)?.Technologies),
        new("technology_categories", r => facts(r)?.TechnologyCategories),
        new("sitemap_urls", r => facts(r)?.SitemapUrls),
        new("favicon_url", r => facts(r)?.FaviconUrl),
        new("logo_url", r => facts(r)?.LogoUrl),
        new("role_emails", r => facts(r)?.RoleEmails),
        new("personal_emails", r => facts(r)?.PersonalEmails),
        new("company_name", r => facts(r)?.CompanyName),
        new("country", r => facts(r)?.Country),
        new("vat_id", r => facts(r)?.VatId),
        new("managing_directors", r => facts(r)?.ManagingDirectors),
        new("language_source", r => facts(r)?.LanguageSource),
    ];
}
