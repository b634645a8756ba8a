using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using ScraperSky.Data;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning;

namespace ScraperSky.Server.Domains;

/// The query of `GET /api/v1/domains`: filters, order, paging and format.
public sealed record DomainQuery
{
    /// Text in the domain name or the title.
    [FromQuery(Name = "q")] public string? Q { get; init; }

    /// A technology name; repeat it to ask for several at once.
    [FromQuery(Name = "tech")] public string[]? Tech { get; init; }
    [FromQuery(Name = "category")] public string? Category { get; init; }
    [FromQuery(Name = "has_email")] public bool? HasEmail { get; init; }
    [FromQuery(Name = "has_phone")] public bool? HasPhone { get; init; }
    [FromQuery(Name = "language")] public string? Language { get; init; }
    [FromQuery(Name = "wordpress")] public bool? Wordpress { get; init; }
    [FromQuery(Name = "batch_id")] public string? BatchId { get; init; }
    [FromQuery(Name = "scanned_after")] public DateTime? ScannedAfter { get; init; }

    /// The newest scan's outcome: `completed` or `failed`.
    [FromQuery(Name = "status")] public string? Status { get; init; }

    /// `domain` (default), `-domain`, `last_scan_at`, `-last_scan_at`, `scan_count`, `-scan_count`.
    [FromQuery(Name = "sort")] public string? Sort { get; init; }
    [FromQuery(Name = "limit")] public int? Limit { get; init; }
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    /// `json` (default), `csv`, `xlsx` or `jsonl`; the three files hold every matching domain, unpaged.
    [FromQuery(Name = "format")] public string? Format { get; init; }
    [FromQuery(Name = "tenant_id")] public Guid? TenantId { get; init; }
}

/// One domain as a listing shows it: the newest scan's outcome and the current facts.
public sealed record DomainView(
    string Domain,
    string Status,
    string? Error,
    string? Title,
    string? Description,
    string? Language,
    string? FinalUrl,
    string? FaviconUrl,
    string? LogoUrl,
    IReadOnlyList<string> Emails,
    IReadOnlyList<string> Phones,
    SocialLinks SocialLinks,
    bool IsWordpress,
    string? WordpressVersion,
    bool HasElementor,
    IReadOnlyList<string> Technologies,
    IReadOnlyList<string> TechnologyCategories,
    long? SitemapUrls,
    DateTime? FirstScanAt,
    DateTime? LastScanAt,
    DateTime? LastCompletedAt,
    int ScanCount,
    string? LastJobId,
    string? LanguageSource,
    IReadOnlyList<string> RoleEmails,
    IReadOnlyList<string> PersonalEmails,
    string? CompanyName,
    string? Country,
    string? VatId,
    IReadOnlyList<string> ManagingDirectors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Metadata = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TechnologySeen>? TechnologiesSeen = null)
{
    public static DomainView From(DomainRecord record, JsonElement? metadata = null, IReadOnlyList<TechnologySeen>? technologiesSeen = null)
    {
        var facts = record.Facts;
        return new DomainView(
            record.Domain,
            EnumNames.ToWire(record.Status),
            record.Error,
            facts.Title,
            facts.Description,
            facts.Language,
            facts.FinalUrl,
            facts.FaviconUrl,
            facts.LogoUrl,
            facts.Emails,
            facts.Phones,
            new SocialLinks
            {
                Facebook = facts.Facebook,
                Twitter = facts.Twitter,
                Linkedin = facts.Linkedin,
                Instagram = facts.Instagram,
                Youtube = facts.Youtube,
                Tiktok = facts.Tiktok,
                Pinterest = facts.Pinterest,
            },
            facts.IsWordpress,
            facts.WordpressVersion,
            facts.HasElementor,
            facts.Technologies,
            facts.TechnologyCategories,
            facts.SitemapUrls,
            record.FirstScanAt,
            record.LastScanAt,
            record.LastCompletedAt,
            record.ScanCount,
            record.LastJobId is { } job ? PublicIds.Format(Job.PublicPrefix, job) : null,
            facts.LanguageSource,
            facts.RoleEmails,
            facts.PersonalEmails,
            facts.CompanyName,
            facts.Country,
            facts.VatId,
            facts.ManagingDirectors,
            metadata,
            technologiesSeen);
    }
}

/// When a technology was first and last reported on the domain (by any scan, whatever its confidence).
public sealed record TechnologySeen(string Name, DateTime FirstSeen, DateTime LastSeen);

public sealed record DomainPage(IReadOnlyList<DomainView> Items, string? NextCursor);

/// One scan in a domain's history; `facts` is null for a failed scan.
public sealed record DomainScanView(
    string ScanId,
    string JobId,
    string? BatchId,
    string Status,
    string? Error,
    DateTime ScannedAt,
    string StatusUrl,
    DomainFacts? Facts);

public sealed record DomainScanPage(string Domain, IReadOnlyList<DomainScanView> Items, string? NextCursor);

/// Options of a rescan; the body may be left out.
public sealed record RescanRequest
{
    public int? MaxPages { get; init; }
    public bool? IncludeSitemaps { get; init; }
}
