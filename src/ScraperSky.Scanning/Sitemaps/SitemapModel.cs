namespace ScraperSky.Scanning.Sitemaps;

public enum SitemapKind
{
    Unknown,
    UrlSet,
    Index,
    Text,
    Rss,
    Atom,
}

/// How a sitemap file was found; stored and reported in snake_case.
public enum SitemapDiscovery
{
    Robots,
    WellKnown,
    HomepageLink,
    Index,
}

/// One page listed by a sitemap or feed. Counts are the protocol extensions found in its entry.
public sealed record SitemapUrlEntry
{
    public required string Loc { get; init; }
    public DateTimeOffset? Lastmod { get; init; }
    public string? ChangeFreq { get; init; }
    public double? Priority { get; init; }
    public int Images { get; init; }
    public int Videos { get; init; }
    public int News { get; init; }
    public int Alternates { get; init; }
}

/// A child sitemap named by an index.
public sealed record SitemapReference(Uri Url, DateTimeOffset? Lastmod);

/// What reading one file produced. URLs went to the handler; child sitemaps of an index are listed here.
public sealed record SitemapParseResult
{
    public required SitemapKind Kind { get; init; }
    public int UrlCount { get; init; }
    public int InvalidEntries { get; init; }
    public IReadOnlyList<SitemapReference> Sitemaps { get; init; } = [];
    public bool Gzipped { get; init; }

    /// Uncompressed bytes read.
    public long Bytes { get; init; }

    /// The file ended early (cut off, over a limit, unreadable past a point); what was read before is kept.
    public bool Truncated { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? NewestLastmod { get; init; }

    /// Reading stopped because the caller's token was cancelled (the collector tells a file timeout from a shutdown).
    public bool Cancelled { get; init; }
}

/// Receives the URLs of one file as they are read.
public interface ISitemapUrlHandler
{
    ValueTask OnUrlAsync(SitemapUrlEntry url, CancellationToken cancellationToken);
}

/// One sitemap file as the collector read it; what a sink stores.
public sealed record SitemapFileRecord
{
    public required Guid Id { get; init; }
    public required Uri Url { get; init; }
    public Guid? ParentId { get; init; }
    public required SitemapDiscovery Discovery { get; init; }
    public SitemapKind Kind { get; init; }
    public int? HttpStatus { get; init; }
    public long Bytes { get; init; }
    public bool Gzipped { get; init; }
    public int UrlCount { get; init; }
    public long FetchMs { get; init; }
    public bool Truncated { get; init; }
    public string? Error { get; init; }
}

/// Where a scan's sitemap contents go: the collector hands URLs over in batches so memory stays flat whatever the
/// size. Calls are serialised by the collector. A file is opened before its URLs arrive and closed with its final
/// figures; <see cref="CompleteAsync"/> ends a successful collection (a sink may then drop what an earlier scan left).
public interface ISitemapSink
{
    Task OpenFileAsync(SitemapFileRecord file, CancellationToken cancellationToken);

    Task AddUrlsAsync(SitemapFileRecord file, IReadOnlyList<SitemapUrlEntry> urls, CancellationToken cancellationToken);

    Task CloseFileAsync(SitemapFileRecord file, CancellationToken cancellationToken);

    Task CompleteAsync(SitemapSummary summary, CancellationToken cancellationToken);
}
