namespace ScraperSky.Scanning.Sitemaps;

/// The `Sitemaps` configuration section. Per-file limits default to the sitemap protocol's own.
public sealed class SitemapOptions
{
    public const string Section = "Sitemaps";

    public int MaxUrlsPerFile { get; set; } = 50_000;

    /// Cap on a file's uncompressed size; a gzip bomb stops here.
    public long MaxBytesPerFile { get; set; } = 50 * 1024 * 1024;

    /// How deep indexes may nest: 1 means an index may list sitemaps but not further indexes.
    public int MaxIndexDepth { get; set; } = 3;

    /// Distinct URLs kept per domain across all its files.
    public long MaxUrlsPerDomain { get; set; } = 1_000_000;

    /// Sitemap files read per domain, indexes included.
    public int MaxFilesPerDomain { get; set; } = 1_000;

    /// Whole-file budget (connect, download and parse); a slow file is cut off and marked truncated. The fetcher's
    /// `Scanning:ResponseTimeout` bounds each download as well.
    public TimeSpan FileTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// Files of one domain read at the same time.
    public int MaxConcurrentFiles { get; set; } = 4;

    /// URLs handed to the sink at a time.
    public int BatchSize { get; set; } = 2_000;

    public WellKnownProbing ProbeWellKnownPaths { get; set; } = WellKnownProbing.WhenNoneDeclared;

    /// Tried when probing: the common root names (protocol examples, WordPress core, Yoast, Rank Math, static site
    /// generators). Child files such as `/post-sitemap.xml` are left to the index that lists them.
    public List<string> WellKnownPaths { get; set; } =
    [
        "/sitemap.xml",
        "/sitemap_index.xml",
        "/sitemap-index.xml",
        "/wp-sitemap.xml",
        "/sitemap.xml.gz",
        "/sitemaps.xml",
        "/sitemap.txt",
    ];
}

public enum WellKnownProbing
{
    /// Probe only when neither robots.txt nor the homepage declared a sitemap (what crawlers do; spares requests).
    WhenNoneDeclared,
    Always,
    Never,
}
