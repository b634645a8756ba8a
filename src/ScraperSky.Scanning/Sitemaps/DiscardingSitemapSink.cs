namespace ScraperSky.Scanning.Sitemaps;

/// For scans whose caller keeps no sitemap rows (the command line, a scan without storage): the collector still
/// counts files and URLs for the summary.
public sealed class DiscardingSitemapSink : ISitemapSink
{
    public static DiscardingSitemapSink Instance { get; } = new();

    public Task OpenFileAsync(SitemapFileRecord file, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AddUrlsAsync(SitemapFileRecord file, IReadOnlyList<SitemapUrlEntry> urls, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task CloseFileAsync(SitemapFileRecord file, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CompleteAsync(SitemapSummary summary, CancellationToken cancellationToken) => Task.CompletedTask;
}
