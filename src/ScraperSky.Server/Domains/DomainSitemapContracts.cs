namespace ScraperSky.Server.Domains;

/// `total_files` counts the files read, as the scan's `sitemaps.files` does (see `SitemapSummary`); `files` lists
/// every file tried, those that could not be read with their `error`.
public sealed record DomainSitemaps(string Domain, int TotalFiles, long TotalUrls, IReadOnlyList<SitemapFileView> Files);

public sealed record SitemapFileView(
    Guid Id,
    string Url,
    string Type,
    string Discovery,
    Guid? ParentId,
    long Bytes,
    bool Gzipped,
    int UrlCount,
    int? HttpStatus,
    long FetchMs,
    bool Truncated,
    string? Error,
    DateTime CollectedAt);

/// One page of a domain's URLs in storage order. `next_cursor` is opaque; null on the last page.
public sealed record DomainUrls(string Domain, long TotalUrls, IReadOnlyList<SitemapUrlView> Urls, string? NextCursor);

public sealed record SitemapUrlView(
    string Loc,
    DateTime? Lastmod,
    string? Changefreq,
    double? Priority,
    int ImageCount,
    int VideoCount,
    int NewsCount,
    int AlternateCount,
    Guid SitemapId);
