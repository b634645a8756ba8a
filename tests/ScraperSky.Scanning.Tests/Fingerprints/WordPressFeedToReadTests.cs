using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Tests.Fingerprints;

/// The feed is chosen from the homepage's HTML before the scan drops it (the feed itself is read later).
public sealed class WordPressFeedToReadTests
{
    private static readonly DetectedTechnology WordPressWithoutVersion = new("WordPress", ["CMS"], null, 100);

    [Fact]
    public void The_declared_rss_feed_on_the_same_host_is_chosen()
    {
        var home = Homepage("""<link rel="alternate" type="application/rss+xml" href="/blog/feed.xml?a=1&amp;b=2">""", WordPressWithoutVersion);

        Assert.Equal(new Uri("https://shop.example/blog/feed.xml?a=1&b=2"), WordPressFeed.FeedToRead(home));
    }

    [Fact]
    public void A_feed_on_another_host_is_passed_over_for_the_default_feed()
    {
        var home = Homepage("""<link type="application/rss+xml" href="https://feeds.elsewhere.example/shop">""", WordPressWithoutVersion);

        Assert.Equal(new Uri("https://shop.example/feed/"), WordPressFeed.FeedToRead(home));
    }

    [Fact]
    public void No_feed_is_read_when_the_version_is_known_or_the_site_is_not_WordPress()
    {
        Assert.Null(WordPressFeed.FeedToRead(Homepage("", WordPressWithoutVersion with { Version = "6.4.3" })));
        Assert.Null(WordPressFeed.FeedToRead(Homepage("", new DetectedTechnology("Shopify", ["Ecommerce"], null, 100))));
    }

    /// Twenty thousand unclosed `<link` tags and no feed: each start reads on to the page's next `>` and back, far
    /// beyond the backtracking engine's time limit; the linear engine answers instead of the scan failing on it.
    [Fact]
    public void A_page_the_backtracking_search_runs_out_of_time_on_still_gets_the_default_feed()
    {
        var hostile = string.Concat(Enumerable.Repeat("<link rel=x type=y ", 20_000));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Equal(new Uri("https://shop.example/feed/"), WordPressFeed.FeedToRead(Homepage(hostile, WordPressWithoutVersion)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed} for one homepage");
    }

    private static PageExtraction Homepage(string head, DetectedTechnology technology) => new()
    {
        Page = new FetchedPage
        {
            RequestedUrl = new Uri("https://shop.example/"),
            FinalUrl = new Uri("https://shop.example/"),
            StatusCode = 200,
            Headers = new Dictionary<string, IReadOnlyList<string>>(),
            Html = PageText.Of($"<html><head>{head}</head><body></body></html>"),
        },
        Technologies = [technology],
    };
}
