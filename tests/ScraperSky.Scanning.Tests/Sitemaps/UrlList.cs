using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Scanning.Tests.Sitemaps;

internal sealed class UrlList : ISitemapUrlHandler
{
    public List<SitemapUrlEntry> Urls { get; } = [];

    public ValueTask OnUrlAsync(SitemapUrlEntry url, CancellationToken cancellationToken)
    {
        Urls.Add(url);
        return ValueTask.CompletedTask;
    }
}
