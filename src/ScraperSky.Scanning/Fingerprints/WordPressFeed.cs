using System.Text.RegularExpressions;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Robots;

namespace ScraperSky.Scanning.Fingerprints;

/// A WordPress site's version when its pages hide it: sites often drop the generator meta and the `ver=` of core
/// assets (security and caching plugins do), but the RSS feed still names the version in its `<generator>`. Read only
/// for a homepage where WordPress was found without a version, one same-site request that robots.txt allows: the
/// declared RSS feed, else WordPress's default `/feed/`. Only WordPress is taken from the feed: its posts may show
/// anything, and what they show says nothing about the site.
public sealed partial class WordPressFeed(IWebFetcher fetcher, FingerprintMatcher matcher)
{
    private const string WordPress = "WordPress";

    /// The feed to read for a homepage where WordPress was found without a version, else null. Taken from the
    /// homepage's HTML right after its extraction, so that the scan can drop that HTML before its other requests.
    public static Uri? FeedToRead(PageExtraction homepage)
    {
        ArgumentNullException.ThrowIfNull(homepage);
        return homepage.Technologies.Any(t => t.Name == WordPress && t.Version is null) ? FeedUrl(homepage) : null;
    }

    /// The feed (<see cref="FeedToRead"/>) as a page carrying only its WordPress detection, or null when robots.txt
    /// forbids it or it tells nothing. <paramref name="homepage"/> gives only its favicon; its HTML may be gone.
    /// <paramref name="robots"/> is the scan's policy, so that robots.txt is not read a second time for the feed.
    public async Task<PageExtraction?> ReadAsync(Uri url, PageExtraction homepage, RobotsPolicy robots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(homepage);
        ArgumentNullException.ThrowIfNull(robots);
        if (!await robots.IsAllowedAsync(url, cancellationToken))
        {
            return null;
        }

        FetchedPage feed;
        try
        {
            feed = await fetcher.GetPageAsync(url, cancellationToken);
        }
        catch (ScanException)
        {
            return null;
        }

        // Only its detection outlives this method, so the feed's text goes back to the pool here.
        using (feed.Html)
        {
            if (!feed.IsSuccess || !string.Equals(feed.FinalUrl.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var wordpress = matcher.Detect(new PageSignals { Url = feed.FinalUrl.AbsoluteUri, Html = feed.Html.Memory })
                .Where(t => t.Name == WordPress && t.Version is not null)
                .ToList();
            return wordpress.Count == 0
                ? null
                : new PageExtraction { Page = feed with { Html = PageText.Empty }, FaviconUrl = homepage.FaviconUrl, Technologies = wordpress };
        }
    }

    private static Uri? FeedUrl(PageExtraction homepage)
    {
        try
        {
            return FeedUrl(homepage, RssLink(), Href());
        }
        catch (RegexMatchTimeoutException)
        {
            // Out of time (a hostile page, or a normal one on a starved machine): the linear engine gives the same
            // answer in time proportional to the page, whatever the load.
            return FeedUrl(homepage, LinearRssLink, LinearHref);
        }
    }

    private static Uri? FeedUrl(PageExtraction homepage, Regex rssLink, Regex href)
    {
        var home = homepage.Page.FinalUrl;
        var html = homepage.Page.Html.Span;
        foreach (var link in rssLink.EnumerateMatches(html))
        {
            if (href.Match(html.Slice(link.Index, link.Length).ToString()) is { Success: true } found
                && Uri.TryCreate(home, System.Net.WebUtility.HtmlDecode(found.Groups[1].Value), out var url)
                && url.Scheme is "http" or "https"
                && string.Equals(url.IdnHost, home.IdnHost, StringComparison.OrdinalIgnoreCase))
            {
                return url;
            }
        }

        return new Uri(home, "/feed/");
    }

    private const string RssLinkPattern = """<link\b[^>]*\btype\s*=\s*["']application/rss\+xml["'][^>]*>""";
    private const string HrefPattern = """\bhref\s*=\s*["']([^"']+)["']""";

    [GeneratedRegex(RssLinkPattern, RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex RssLink();

    [GeneratedRegex(HrefPattern, RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Href();

    private static readonly Regex LinearRssLink = new(RssLinkPattern, RegexOptions.IgnoreCase | RegexOptions.NonBacktracking);
    private static readonly Regex LinearHref = new(HrefPattern, RegexOptions.IgnoreCase | RegexOptions.NonBacktracking);
}
