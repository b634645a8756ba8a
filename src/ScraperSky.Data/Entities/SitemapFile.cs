using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Entities;

/// One sitemap file (urlset, index, text or feed) as the latest scan of a domain read it. A rescan writes new rows
/// and, once its collection succeeds, deletes the files of earlier collections (their URLs go with them unless the
/// rescan listed them again).
public sealed class SitemapFile
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// The normalised domain whose scan found the file (the domain row itself is written when the scan completes).
    public required string Domain { get; set; }
    public required string Url { get; set; }
    public SitemapKind Kind { get; set; }
    public SitemapDiscovery Discovery { get; set; }

    /// The index that listed this file.
    public Guid? ParentId { get; set; }

    /// Uncompressed bytes read.
    public long Bytes { get; set; }
    public bool Gzipped { get; set; }

    /// URLs stored from this file (a URL listed by several files is stored with the first).
    public int UrlCount { get; set; }
    public int? HttpStatus { get; set; }
    public long FetchMs { get; set; }
    public bool Truncated { get; set; }
    public string? Error { get; set; }

    /// When the collection that wrote this row started; older collections of the domain are replaced by newer ones.
    public DateTime CollectedAt { get; set; }
}
