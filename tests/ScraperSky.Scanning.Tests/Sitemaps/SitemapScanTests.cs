using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Scanning.Tests.Sitemaps;

public sealed class SitemapScanTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_domain_scan_reads_the_sitemaps_into_its_sink_and_summarises_them_in_the_metadata()
    {
        using var services = fixture.CreateServices();
        var sink = new RecordingSink();

        var metadata = await services.GetRequiredService<IDomainScanner>().ScanAsync(
            new ScanRequest { Domain = "sm-robots.test", SitemapSink = sink }, null, Ct);

        var summary = Assert.IsType<SitemapSummary>(metadata.Sitemaps);
        Assert.Equal("Robots sitemaps", metadata.Title);
        // Five files tried; missing.xml, declared in robots.txt, answered 404: listed, not counted, its method kept.
        Assert.Equal(4, summary.Files);
        Assert.Equal(5, sink.Files.Count);
        Assert.Equal(404, sink.File("/missing.xml").HttpStatus);
        Assert.Equal(7, summary.Urls);
        Assert.Equal(["robots", "homepage_link"], summary.DiscoveryMethods);
        Assert.Single(summary.Errors);
        Assert.Same(summary, sink.Completed);
        Assert.Equal(7, sink.AllLocs.Count());
    }

    [Fact]
    public async Task A_scan_without_a_sink_still_summarises_and_one_that_excludes_sitemaps_reads_none()
    {
        using var services = fixture.CreateServices();
        var scanner = services.GetRequiredService<IDomainScanner>();

        var summarised = await scanner.ScanAsync(new ScanRequest { Domain = "sm-wp.test" }, null, Ct);
        var excluded = await scanner.ScanAsync(new ScanRequest { Domain = "sm-wp.test", IncludeSitemaps = false }, null, Ct);

        Assert.Equal(7, summarised.Sitemaps?.Urls);
        Assert.Null(excluded.Sitemaps);
    }

    [Fact]
    public async Task The_sitemap_summary_is_written_in_snake_case_beside_the_v1_fields()
    {
        var metadata = new SiteMetadata
        {
            Sitemaps = new SitemapSummary
            {
                Files = 2, Urls = 10, NewestLastmod = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
                DiscoveryMethods = ["robots"], Errors = ["x"], TruncatedFiles = 1,
            },
        };

        var json = System.Text.Json.JsonSerializer.Serialize(metadata, ScanJson.Options);

        Assert.Contains("\"sitemaps\":{\"files\":2,\"urls\":10,\"newest_lastmod\":\"2025-01-02T03:04:05+00:00\",\"discovery_methods\":[\"robots\"],\"errors\":[\"x\"],\"truncated_files\":1}", json, StringComparison.Ordinal);
    }
}
