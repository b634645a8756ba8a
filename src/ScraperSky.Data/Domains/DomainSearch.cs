using System.Text.Json.Serialization;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Domains;

/// What a domain listing filters on; every filter is optional and they combine with AND (several `Tech` too). A
/// schedule stores one as JSON under the listing's query names (see ScheduleFilter).
public sealed record DomainFilter
{
    /// Text in the domain name or the title, case-insensitive.
    [JsonPropertyName("q")]
    public string? Text { get; init; }

    [JsonPropertyName("tech")]
    public IReadOnlyList<string> Technologies { get; init; } = [];
    public string? Category { get; init; }
    public bool? HasEmail { get; init; }
    public bool? HasPhone { get; init; }

    /// A language tag: `en` matches `en` and `en-gb`.
    public string? Language { get; init; }
    public bool? Wordpress { get; init; }
    public Guid? BatchId { get; init; }
    public DateTime? ScannedAfter { get; init; }
    public JobStatus? Status { get; init; }
}

public enum DomainSort
{
    Domain,
    DomainDescending,
    LastScanAt,
    LastScanAtDescending,
    ScanCount,
    ScanCountDescending,
}

/// Where the previous page ended: the last row's sort key and its name (the tie-breaker).
public sealed record DomainPosition(string Name, DateTime? Time = null, int? Count = null);

/// The tenant's domains, filtered and in a stable order that pages by key (see <see cref="DomainPosition"/>).
public static class DomainSearch
{
    /// The `sort` values the API takes, as they are written there.
    public static IReadOnlyDictionary<string, DomainSort> SortNames { get; } = new Dictionary<string, DomainSort>(StringComparer.OrdinalIgnoreCase)
    {
        ["domain"] = DomainSort.Domain,
        ["-domain"] = DomainSort.DomainDescending,
        ["last_scan_at"] = DomainSort.LastScanAt,
        ["-last_scan_at"] = DomainSort.LastScanAtDescending,
        ["scan_count"] = DomainSort.ScanCount,
        ["-scan_count"] = DomainSort.ScanCountDescending,
    };

    public static IQueryable<Domain> Filter(ScraperSkyDbContext db, Guid tenantId, DomainFilter filter)
    {
        var query = db.Domains.Where(d => d.TenantId == tenantId);
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim().ToLowerInvariant();
            query = query.Where(d => d.Name.Contains(text) || (d.Title != null && d.Title.ToLower().Contains(text)));
        }

        foreach (var technology in filter.Technologies.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            var name = technology.Trim().ToLowerInvariant();
            query = query.Where(d => d.TechnologyNames.Any(n => n.ToLower() == name));
        }

        if (!string.IsNullOrWhiteSpace(filter.Category))
        {
            var category = filter.Category.Trim().ToLowerInvariant();
            query = query.Where(d => d.TechnologyCategories.Any(c => c.ToLower() == category));
        }

        if (filter.HasEmail is { } hasEmail)
        {
            query = hasEmail ? query.Where(d => d.Emails.Count > 0) : query.Where(d => d.Emails.Count == 0);
        }

        if (filter.HasPhone is { } hasPhone)
        {
            query = hasPhone ? query.Where(d => d.Phones.Count > 0) : query.Where(d => d.Phones.Count == 0);
        }

        if (!string.IsNullOrWhiteSpace(filter.Language))
        {
            var language = filter.Language.Trim().ToLowerInvariant();
            var prefix = language + "-";
            query = query.Where(d => d.Language != null && (d.Language.ToLower() == language || d.Language.ToLower().StartsWith(prefix)));
        }

        if (filter.Wordpress is { } wordpress)
        {
            query = query.Where(d => d.IsWordpress == wordpress);
        }

        if (filter.BatchId is { } batchId)
        {
            query = query.Where(d => db.Jobs.Any(j => j.BatchId == batchId && j.TenantId == d.TenantId && j.Domain == d.Name));
        }

        if (filter.ScannedAfter is { } after)
        {
            query = query.Where(d => d.LastScanAt >= after);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(d => d.LastStatus == status);
        }

        return query;
    }

    /// Orders the rows and skips those up to and including <paramref name="after"/>.
    public static IQueryable<Domain> Page(IQueryable<Domain> query, DomainSort sort, DomainPosition? after)
    {
        if (after is not null)
        {
            var (name, time, count) = (after.Name, after.Time ?? DateTime.MinValue, after.Count ?? 0);
            query = sort switch
            {
                DomainSort.DomainDescending => query.Where(d => string.Compare(d.Name, name) < 0),
                DomainSort.LastScanAt => query.Where(d => d.LastScanAt > time || (d.LastScanAt == time && string.Compare(d.Name, name) > 0)),
                DomainSort.LastScanAtDescending => query.Where(d => d.LastScanAt < time || (d.LastScanAt == time && string.Compare(d.Name, name) > 0)),
                DomainSort.ScanCount => query.Where(d => d.ScanCount > count || (d.ScanCount == count && string.Compare(d.Name, name) > 0)),
                DomainSort.ScanCountDescending => query.Where(d => d.ScanCount < count || (d.ScanCount == count && string.Compare(d.Name, name) > 0)),
                _ => query.Where(d => string.Compare(d.Name, name) > 0),
            };
        }

        return sort switch
        {
            DomainSort.DomainDescending => query.OrderByDescending(d => d.Name),
            DomainSort.LastScanAt => query.OrderBy(d => d.LastScanAt).ThenBy(d => d.Name),
            DomainSort.LastScanAtDescending => query.OrderByDescending(d => d.LastScanAt).ThenBy(d => d.Name),
            DomainSort.ScanCount => query.OrderBy(d => d.ScanCount).ThenBy(d => d.Name),
            DomainSort.ScanCountDescending => query.OrderByDescending(d => d.ScanCount).ThenBy(d => d.Name),
            _ => query.OrderBy(d => d.Name),
        };
    }

    /// The position a page that ends with <paramref name="last"/> hands to the next.
    public static DomainPosition PositionOf(DomainRecord last, DomainSort sort) => sort switch
    {
        DomainSort.LastScanAt or DomainSort.LastScanAtDescending => new DomainPosition(last.Domain, Time: last.LastScanAt),
        DomainSort.ScanCount or DomainSort.ScanCountDescending => new DomainPosition(last.Domain, Count: last.ScanCount),
        _ => new DomainPosition(last.Domain),
    };
}
