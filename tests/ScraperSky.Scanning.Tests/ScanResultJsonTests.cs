using System.Text.Json;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fingerprints;
using ScraperSky.Scanning.Tests.Extraction;

namespace ScraperSky.Scanning.Tests;

/// A result is stored and returned as the text <see cref="ScanResultSize"/> wrote with its generated serialiser, which
/// must be exactly what <see cref="ScanJson.Options"/> writes (the v1 contract's field names, nulls, escaping).
public sealed class ScanResultJsonTests
{
    [Fact]
    public void Every_fixture_site_is_written_as_the_result_options_write_it()
    {
        var sites = Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Sites"))
            .Where(site => File.Exists(Path.Combine(site, "index.html")))
            .Select(Path.GetFileName)
            .ToList();
        Assert.True(sites.Count > 40, $"only {sites.Count} fixture sites");
        foreach (var site in sites)
        {
            AssertWrittenAlike(SiteResult.Build(FixturePages.Extract(site!), []));
        }
    }

    [Fact]
    public void A_result_with_every_field_set_is_written_as_the_result_options_write_it()
    {
        var page = "https://example.com/kontakt?a=1&b=<2>";
        var technology = new DetectedTechnology("WordPress", ["CMS", "Blogs"], "6.4.2", 100)
        {
            VersionSource = "meta:generator",
            ConfidenceSource = ConfidenceSources.Implied,
            ImpliedBy = ["WooCommerce"],
            Evidence = [new TechnologyEvidence("html", "generator", "<meta name=\"generator\" content=\"WordPress 6.4.2\">", page)],
        };
        var metadata = SiteResult.Build(FixturePages.Extract("jsonld-company.test"), []) with
        {
            Title = "Müller & Söhne \"GmbH\" – Ünïcödé 😀 \u2028 <script>",
            Description = "Tab\tnew line\n'quote' \\ backslash",
            Language = "de",
            IsWordpress = true,
            WordpressVersion = "6.4.2",
            HasElementor = true,
            ElementorVersion = "3.18.0",
            FaviconUrl = "https://example.com/favicon.ico",
            LogoUrl = "https://example.com/logo.svg",
            ContactInfo = new ContactInfo
            {
                Email = ["info@example.com", "jobs@example.com"],
                Phone = ["+49 30 1234567"],
                Phones = [new PhoneNumberInfo("+49 30 1234567", "+49301234567") { Type = "fixed_line", Region = "DE", Pages = [page] }],
                EmailsDetail = [new EmailContact("info@example.com", "role", [page], true), new EmailContact("jobs@example.com", "role", [], null)],
            },
            SocialLinks = new SocialLinks { Facebook = "https://facebook.com/x", Twitter = null, Linkedin = "https://linkedin.com/company/x" },
            TechStack = new TechStack { Cms = ["WordPress"], Frameworks = [], Analytics = ["Google Analytics"], Widgets = ["reCAPTCHA"] },
            Performance = new PagePerformance { ImageCount = 12, ScriptCount = 7, CssCount = 3, FormCount = 1, LinkCount = 140, TotalElements = 2345 },
            FinalUrl = "https://www.example.com/",
            HttpStatus = 200,
            RedirectChain = ["http://example.com/", "https://example.com/"],
            Server = "nginx/1.25",
            PoweredBy = "PHP/8.2",
            PageBytes = 245_678,
            FetchMs = 123,
            Technologies = [technology],
            PagesScanned = ["https://www.example.com/", page],
            Sitemaps = new SitemapSummary
            {
                Files = 2,
                Urls = 25,
                NewestLastmod = new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.Zero),
                DiscoveryMethods = ["robots", "well_known"],
                Errors = ["https://example.com/sitemap2.xml: HTTP 404."],
                TruncatedFiles = 1,
            },
            LanguageSource = "html_lang",
            SocialProfiles = [new SocialProfile("facebook", "https://facebook.com/x", [page])],
            Partial = true,
            PartialReason = "The scan's deadline came first.",
        };
        Assert.NotNull(metadata.Company);

        AssertWrittenAlike(metadata);
        AssertWrittenAlike(new SiteMetadata());
    }

    [Fact]
    public void The_options_read_what_clients_send_as_the_web_defaults_do_and_write_every_null()
    {
        // ScanJson.Options copies its settings from the generated serialiser's declaration: the web defaults
        // (names in any case, numbers given as strings) must come along for reading stored and submitted JSON.
        var options = JsonSerializer.Deserialize<OptionsProbe>("""{"MAX_PAGES":"7","Include_Sitemaps":false}""", ScanJson.Options)!;
        Assert.Equal(7, options.MaxPages);
        Assert.False(options.IncludeSitemaps);
        Assert.Equal("""{"max_pages":null,"include_sitemaps":true}""", JsonSerializer.Serialize(new OptionsProbe(), ScanJson.Options));
        Assert.True(ScanJson.Options.IsReadOnly);
    }

    private static void AssertWrittenAlike(SiteMetadata metadata)
    {
        var expected = JsonSerializer.Serialize(metadata, ScanJson.Options);
        var fitted = ScanResultSize.Fit(metadata, 1024 * 1024);
        Assert.Same(metadata, fitted);
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(ScanResultSize.Utf8Json(fitted)));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(expected), ScanResultSize.Measure(metadata));
    }

    public sealed class OptionsProbe
    {
        public int? MaxPages { get; set; }
        public bool IncludeSitemaps { get; set; } = true;
    }
}
