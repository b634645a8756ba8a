using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Domains;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;
using ScraperSky.Scanning.Sitemaps;
using ScraperSky.Scanning.Tests.Extraction;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Scanning.Tests.Hardening;

/// The mechanisms behind the review's fixes: the page CPU budget and cancellation, the prescan's depth estimate,
/// the result size cap, capped errors, registrable domains and per-domain politeness.
public sealed class BoundedWorkTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_page_over_its_cpu_budget_is_abandoned_with_a_clear_permanent_error()
    {
        var extractor = new HtmlExtractor(FingerprintMatcher.Shipped) { PageCpuBudget = TimeSpan.FromTicks(1) };
        var html = "<html><body>" + new StringBuilder().Insert(0, "<p>Some text <a href='/x'>link</a></p>", 20_000) + "</body></html>";

        var error = Assert.Throws<ScanException>(() => extractor.Extract(FixturePages.Page(new Uri("https://costly.test/"), html), null, cancellationToken: Ct));

        Assert.False(error.IsTransient);
        Assert.Contains("CPU time", error.Message, StringComparison.Ordinal);
        Assert.IsType<CpuBudgetExceededException>(error.InnerException);

        // The thread's parser is usable afterwards.
        Assert.Equal("Fine", FixturePages.ExtractHtml("<html><head><title>Fine</title></head></html>").Title);
    }

    /// The parser checks the budget as it makes elements (a tree counts its own): a page of fewer tags than the prescan
    /// checks at is abandoned in its parse.
    [Fact]
    public void A_page_over_its_cpu_budget_is_abandoned_in_its_parse()
    {
        var extractor = new HtmlExtractor(FingerprintMatcher.Shipped) { PageCpuBudget = TimeSpan.FromTicks(1) };
        var html = "<html><body>" + new StringBuilder().Insert(0, "<p>Some text", 1_000) + "</body></html>";

        var error = Assert.Throws<ScanException>(() => extractor.Extract(FixturePages.Page(new Uri("https://costly.test/"), html), null, cancellationToken: Ct));

        Assert.IsType<CpuBudgetExceededException>(error.InnerException);
        Assert.Contains(nameof(PageParser), error.InnerException.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancelled_token_stops_extraction()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            FixturePages.Extractor.Extract(FixturePages.Page(new Uri("https://x.test/"), "<html></html>"), null, cancellationToken: cancelled.Token));
    }

    [Theory]
    [InlineData("<q></zz>", 2000, true)]
    [InlineData("<div/>", 2000, true)]
    [InlineData("<span><div></span>", 2000, true)]
    [InlineData("<b></zz>", 2000, true)]
    [InlineData("<div></div>", 5000, false)]
    [InlineData("<section><p>text</section>", 3000, false)]
    [InlineData("<ul><li>a<li>b</ul>", 3000, false)]
    [InlineData("<div><span>a</div>", 3000, false)]
    [InlineData("<br/><img src=x /><p>a", 3000, false)]
    [InlineData("<svg><path/><circle/></svg>", 3000, false)]
    public void The_prescan_depth_follows_what_the_tree_builder_keeps_open(string repeated, int times, bool cut)
    {
        var html = "<html><body>" + new StringBuilder().Insert(0, repeated, times) + "<footer>end</footer></body></html>";

        using var prescan = HtmlPrescan.Prepare(html.AsMemory());

        // Cut at the depth limit, the end of the page is gone; otherwise it is all there.
        Assert.Equal(!cut, prescan.ParseInput.Span.Contains("<footer>end</footer>", StringComparison.Ordinal));
    }

    [Fact]
    public void Stray_end_tags_are_dropped_before_the_parser_sees_them()
    {
        using var prescan = HtmlPrescan.Prepare("<html><body><q></zz><b></b></zz></q><p>x</p></body></html>".AsMemory());

        Assert.Equal("<html><body><q><b></b></q><p>x</p></body></html>", prescan.ParseInput.ToString());
    }

    [Fact]
    public void A_result_over_the_size_cap_is_shortened_and_marked_partial()
    {
        var metadata = new SiteMetadata
        {
            Title = new string('t', 100_000),
            ContactInfo = new ContactInfo { Email = [.. Enumerable.Range(0, 50_000).Select(i => $"someone-{i}@example.com")] },
            Sitemaps = new SitemapSummary { Errors = [.. Enumerable.Range(0, 50).Select(i => new string('e', 300))] },
        };

        var fitted = ScanResultSize.Fit(metadata, 256 * 1024);

        Assert.InRange(ScanResultSize.Measure(fitted), 1, 256 * 1024);
        Assert.True(fitted.Partial);
        Assert.Contains("256 KiB", fitted.PartialReason, StringComparison.Ordinal);
        Assert.NotEmpty(fitted.ContactInfo.Email);
        Assert.Equal("someone-0@example.com", fitted.ContactInfo.Email[0]);
    }

    [Fact]
    public void A_result_under_the_cap_is_returned_as_it_is()
    {
        var metadata = new SiteMetadata { Title = "Small" };

        Assert.Same(metadata, ScanResultSize.Fit(metadata, 256 * 1024));
        Assert.False(metadata.Partial);
    }

    [Fact]
    public void A_result_that_fits_is_stored_as_the_json_it_was_measured_as()
    {
        var metadata = new SiteMetadata { Title = "Small", ContactInfo = new ContactInfo { Email = ["info@small.test"] } };

        var fitted = ScanResultSize.Fit(metadata, 256 * 1024);

        Assert.Same(ScanResultSize.Utf8Json(fitted), ScanResultSize.Utf8Json(fitted));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(fitted, ScanJson.Options), ScanResultSize.Utf8Json(fitted));
        // A result Fit did not return is serialised when asked.
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(fitted with { Title = "Other" }, ScanJson.Options),
            ScanResultSize.Utf8Json(fitted with { Title = "Other" }));
    }

    [Fact]
    public void Errors_are_capped_and_kept_on_one_line()
    {
        var error = new ScanException("Redirect loop: " + new string('x', 100_000) + "\n\r\tend", false);

        Assert.Equal(ErrorText.MaxLength, error.Message.Length);
        Assert.DoesNotContain('\n', error.Message);
        Assert.EndsWith("…", error.Message, StringComparison.Ordinal);
        Assert.Equal("short", new ScanException("short", true).Message);
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("www.example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("co.uk", "co.uk")]
    [InlineData("foo.blogspot.com", "foo.blogspot.com")]
    [InlineData("x.y.kawasaki.jp", "x.y.kawasaki.jp")]
    [InlineData("city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("a.city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("shop-17.delay50.gen.test", "gen.test")]
    [InlineData("basic.test", "basic.test")]
    [InlineData("Example.COM.", "example.com")]
    [InlineData("xn--fiqs8s.xn--fiqs8s", "xn--fiqs8s.xn--fiqs8s")]
    [InlineData("www.xn--55qx5d.xn--fiqs8s", "xn--55qx5d.xn--fiqs8s")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    public void Registrable_domains_come_from_the_public_suffix_list(string host, string expected)
    {
        Assert.Equal(expected, RegistrableDomain.Of(host));
    }

    [Fact]
    public async Task Requests_to_one_registrable_domain_are_limited_across_every_fetcher()
    {
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:MaxConcurrentRequestsPerHost"] = "3" });
        HardeningSites.ResetPolite();

        // Twelve fetches of twelve hosts of one registrable domain, each through its own fetcher (as scans have).
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"http://site-{i}.polite-scan.test/"), Ct), Ct)));

        Assert.InRange(HardeningSites.PoliteMaxInFlight, 1, 3);
        Assert.Equal(0, services.GetRequiredService<HostConcurrency>().InFlight("site-1.polite-scan.test"));
    }

    [Fact]
    public async Task A_slot_is_held_until_a_streamed_body_is_disposed()
    {
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:MaxConcurrentRequestsPerHost"] = "1" });
        var fetcher = services.GetRequiredService<IWebFetcher>();
        var hosts = services.GetRequiredService<HostConcurrency>();

        var open = await fetcher.OpenAsync(new Uri("http://a.polite-scan.test/"), 1024, Ct);
        Assert.Equal(1, hosts.InFlight("b.polite-scan.test"));
        var second = fetcher.GetPageAsync(new Uri("http://b.polite-scan.test/"), Ct);
        await Task.Delay(500, Ct);
        Assert.False(second.IsCompleted);

        await open.DisposeAsync();
        Assert.Equal(200, (await second).StatusCode);
        Assert.Equal(0, hosts.InFlight("b.polite-scan.test"));
    }

    [Fact]
    public void Sitemap_scope_is_the_registrable_domain_or_a_named_host_on_ports_80_and_443()
    {
        var scope = new SitemapScope("example.com", [new Uri("https://cdn.example.net/sitemap.xml")]);

        Assert.True(scope.Allows(new Uri("https://example.com/sitemap.xml")));
        Assert.True(scope.Allows(new Uri("https://www.example.com/sitemap.xml")));
        Assert.True(scope.Allows(new Uri("http://blog.example.com/sitemap.xml")));
        Assert.True(scope.Allows(new Uri("https://example.com:80/sitemap.xml")));
        Assert.True(scope.Allows(new Uri("https://cdn.example.net/other.xml")));
        Assert.False(scope.Allows(new Uri("https://other.example.net/sitemap.xml")));
        Assert.False(scope.Allows(new Uri("https://example.com:8080/sitemap.xml")));
        Assert.False(scope.Allows(new Uri("https://cdn.example.net:8443/sitemap.xml")));
        Assert.False(scope.Allows(new Uri("https://example.com.evil.net/sitemap.xml")));
        Assert.False(scope.Allows(new Uri("http://169.254.169.254/latest/meta-data/")));
    }

    [Fact]
    public void A_result_is_serialised_with_its_partial_fields()
    {
        var json = JsonSerializer.Serialize(new SiteMetadata { Partial = true, PartialReason = "why" }, ScanJson.Options);

        Assert.Contains("\"partial\":true,\"partial_reason\":\"why\"", json, StringComparison.Ordinal);
    }
}
