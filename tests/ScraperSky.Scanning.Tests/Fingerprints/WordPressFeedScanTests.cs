using Microsoft.Extensions.DependencyInjection;

namespace ScraperSky.Scanning.Tests.Fingerprints;

public sealed class WordPressFeedScanTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_WordPress_site_that_hides_its_version_on_its_pages_gets_it_from_its_feed_and_nothing_else_from_the_feed()
    {
        using var services = fixture.CreateServices();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "wordpress-feed.test", IncludeSitemaps = false }, null, Ct);

        Assert.True(metadata.IsWordpress);
        Assert.Equal("6.4.3", metadata.WordpressVersion);
        var wordpress = metadata.Technologies.Single(t => t.Name == "WordPress");
        Assert.Equal("html", wordpress.VersionSource);
        Assert.Contains(wordpress.Evidence, e => e.Version == "6.4.3" && e.PageUrl.EndsWith("/feed/index.xml", StringComparison.Ordinal));
        // The feed's post shows a Shopify image: that says nothing about this site.
        Assert.DoesNotContain(metadata.Technologies, t => t.Name == "Shopify");
        Assert.Contains(metadata.PagesScanned, p => p.EndsWith("/feed/index.xml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_feed_obeys_the_scans_robots_txt_which_is_read_once_for_the_feed_and_the_sitemaps()
    {
        using var services = fixture.CreateServices();
        var before = fixture.Fleet.HitsOnPath("wordpress-feed.test", "/robots.txt");

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "wordpress-feed.test", IncludeSitemaps = true }, null, Ct);

        Assert.Equal("6.4.3", metadata.WordpressVersion);
        Assert.Equal(1, fixture.Fleet.HitsOnPath("wordpress-feed.test", "/robots.txt") - before);
    }

    [Fact]
    public async Task The_feed_is_not_read_when_the_scan_may_read_only_the_homepage()
    {
        using var services = fixture.CreateServices();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "wordpress-feed.test", MaxPages = 1, IncludeSitemaps = false }, null, Ct);

        Assert.True(metadata.IsWordpress);
        Assert.Null(metadata.WordpressVersion);
        Assert.Single(metadata.PagesScanned);
    }
}
