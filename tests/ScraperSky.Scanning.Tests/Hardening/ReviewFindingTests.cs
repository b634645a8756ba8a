using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Robots;
using ScraperSky.Scanning.Sitemaps;
using ScraperSky.Scanning.Tests.Extraction;
using ScraperSky.Scanning.Tests.Sitemaps;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Scanning.Tests.Hardening;

/// One test per finding of the hardening review (issue 11, "Why"), each against the hostile fleet site or input the
/// review used. Finding 1 (certificate downloads) is CertificateDownloadTests; 6 (local mode) belongs to the server.
/// Bounds are generous and in CPU time or long timeouts, never tight wall-clock limits: the machine is shared.
public sealed class ReviewFindingTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestSiteFleet Fleet => fixture.Fleet;

    /// Finding 2: a 15 KB gzip sitemap whose XML opens an element five million times made the reader's error message
    /// list every open element; that text became the file's error, copied into the summary and stored twice.
    [Fact]
    public async Task Finding_2_a_deeply_nested_sitemap_leaves_short_errors_of_our_own()
    {
        // Time enough to read the whole file, as a fast network would.
        using var services = fixture.CreateServices(new Dictionary<string, string?>
        {
            ["Scanning:ResponseTimeout"] = "00:02:00",
            ["Sitemaps:FileTimeout"] = "00:02:00",
        });
        var sink = new RecordingSink();

        var summary = await services.GetRequiredService<SitemapCollector>().CollectAsync(
            "deep-xml.hostile.test", services.GetRequiredService<RobotsPolicy>(), [], sink, Ct);

        var file = Assert.Single(sink.Files);
        Assert.True(file.Truncated);
        Assert.Equal(["https://deep-xml.hostile.test/page"], sink.AllLocs);
        Assert.NotNull(file.Error);
        Assert.InRange(file.Error.Length, 1, ErrorText.MaxLength);
        Assert.DoesNotContain("a, a", file.Error, StringComparison.Ordinal);
        Assert.All(summary.Errors, e => Assert.InRange(e.Length, 1, ErrorText.MaxLength));
        Assert.InRange(JsonSerializer.Serialize(summary, ScanJson.Options).Length, 1, 4096);
    }

    /// Finding 2, the job result: whatever a page holds (a 200 KB title and description, twenty thousand addresses), the scan result
    /// stays under 256 KiB of JSON, shortened and marked partial.
    [Fact]
    public async Task Finding_2_a_page_of_twenty_thousand_addresses_gives_a_result_under_the_cap()
    {
        using var services = fixture.CreateServices();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "huge-result.hostile.test", IncludeSitemaps = false }, null, Ct);

        var json = JsonSerializer.Serialize(metadata, ScanJson.Options);
        Assert.InRange(Encoding.UTF8.GetByteCount(json), 1, 256 * 1024);
        Assert.Contains("\"partial\":true", json, StringComparison.Ordinal);
        Assert.NotEmpty(metadata.ContactInfo.Email);
        Assert.StartsWith("Huge Result x", metadata.Title, StringComparison.Ordinal);
    }

    /// Finding 3: `<q></zz>` repeated 80,000 times took 38 s of CPU to extract (more here): the prescan's depth
    /// estimate fell on every stray end tag, so its cut-off never triggered and the tree builder walked its whole stack
    /// for every `</zz>`.
    [Fact]
    public async Task Finding_3_stray_end_tags_do_not_make_extraction_quadratic()
    {
        var page = FixturePages.Page(new Uri("https://quadratic.hostile.test/"), HardeningSites.QuadraticPage());

        // Run apart, so that a slow extraction fails the test instead of holding it (the old code could not be stopped).
        var extraction = await Task.Run(() =>
        {
            var started = ThreadCpuTime.Now();
            var result = FixturePages.Extractor.Extract(page);
            return (Result: result, Cpu: ThreadCpuTime.Now() - started);
        }, Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal("Quadratic", extraction.Result.Title);
        Assert.InRange(extraction.Cpu, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    /// Finding 4, scan duration: an index of 10,000 slow children kept a scan busy for hours. Every scan now ends at
    /// its deadline with what it has read, marked partial with the reason, sitemap reading included.
    [Fact]
    public async Task Finding_4_a_scan_ends_at_its_deadline_with_what_it_read()
    {
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:ScanDeadline"] = "00:00:04" });
        var sink = new RecordingSink();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "slow-index.hostile.test", SitemapSink = sink }, null, Ct)
            .WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var json = JsonSerializer.Serialize(metadata, ScanJson.Options);
        Assert.Contains("\"partial\":true", json, StringComparison.Ordinal);
        Assert.Contains("time limit of 4 s", json, StringComparison.Ordinal);
        Assert.Equal("Slow Index", metadata.Title);
        Assert.NotNull(metadata.Sitemaps);
        Assert.Contains(metadata.Sitemaps.Errors, e => e.Contains("deadline", StringComparison.Ordinal));
        Assert.Contains(sink.Files, f => f.Url.AbsolutePath == "/index.xml");
        Assert.NotNull(sink.Completed);
    }

    /// Finding 5, the address part: reserved ranges the guard let through.
    [Theory]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("192.88.99.1")]
    [InlineData("192.0.2.2")]
    [InlineData("2001::1")]
    [InlineData("2001:10::1")]
    [InlineData("3fff::1")]
    [InlineData("5f00::1")]
    [InlineData("::ffff:0:7f00:1")]
    public void Finding_5_reserved_ranges_are_refused(string address)
    {
        Assert.NotNull(AddressGuard.RefusalReason(IPAddress.Parse(address)));
    }

    /// Finding 7: 500 KB of `Disallow: /*a*a*…b` rules cost half a second per check on a 2,000-character path.
    [Fact]
    public void Finding_7_half_a_megabyte_of_wildcard_rules_costs_little_per_check()
    {
        var robots = new StringBuilder("User-agent: *\n");
        var pattern = "/" + string.Concat(Enumerable.Repeat("*a", 100)) + "*b";
        while (robots.Length < RobotsTxt.MaxLength - pattern.Length - 20)
        {
            robots.Append("Disallow: ").Append(pattern).Append('\n');
        }

        var rules = RobotsTxt.Parse(robots.ToString()).ForAgent("ScraperSky");
        var path = "/" + new string('a', 2000);

        var started = ThreadCpuTime.Now();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(rules.IsAllowed(path));
        }

        // Generous: ten checks took about ten seconds of CPU before; now a few milliseconds.
        Assert.InRange(ThreadCpuTime.Now() - started, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.False(rules.IsAllowed(path + "b"));
    }

    /// Finding 8, sitemaps: robots.txt `Sitemap:` lines, `<link rel="sitemap">` and index children named any host and
    /// port, and redirects led anywhere. Now: the scanned registrable domain, or a host robots.txt names, on ports 80
    /// and 443 only.
    [Fact]
    public async Task Finding_8_sitemaps_stay_on_the_site_and_its_ports()
    {
        using var services = fixture.CreateServices();
        var sink = new RecordingSink();
        var before = Fleet.HitsForHostHeader("elsewhere-robots.test");

        var summary = await services.GetRequiredService<SitemapCollector>().CollectAsync(
            "offsite-scan.test", services.GetRequiredService<RobotsPolicy>(),
            [new Uri("http://elsewhere-link.test/sitemap.xml"), new Uri("http://offsite-scan.test:8082/link-port.xml")], sink, Ct);

        foreach (var off in new[] { "offsite-scan.test:8081", "offsite-scan.test:8082", "offsite-scan.test:8443",
            "elsewhere-link.test", "elsewhere-child.test", "elsewhere-redirect.test" })
        {
            Assert.True(Fleet.HitsForHostHeader(off) == 0, $"{off} was asked");
        }

        // Allowed: a host robots.txt names, and another host of the scanned registrable domain.
        Assert.Equal(before + 1, Fleet.HitsForHostHeader("elsewhere-robots.test"));
        Assert.Contains(sink.Files, f => f.Url.Host == "www.offsite-scan.test");
        Assert.Contains(summary.Errors, e => e.Contains("port 80 or 443", StringComparison.Ordinal));
        Assert.Contains(summary.Errors, e => e.Contains("elsewhere-child.test", StringComparison.Ordinal));
        Assert.Contains(summary.Errors, e => e.Contains("elsewhere-redirect.test", StringComparison.Ordinal));
    }

    /// Finding 8, contact pages: the same-site check ignored the port.
    [Fact]
    public async Task Finding_8_contact_pages_stay_on_the_homepages_port()
    {
        using var services = fixture.CreateServices();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "contact-port.test", IncludeSitemaps = false }, null, Ct);

        Assert.Equal(0, Fleet.HitsForHostHeader("contact-port.test:8081"));
        Assert.Contains("about@contact-port.test", metadata.ContactInfo.Email);
        Assert.DoesNotContain("other-port@contact-port.test", metadata.ContactInfo.Email);
    }
}
