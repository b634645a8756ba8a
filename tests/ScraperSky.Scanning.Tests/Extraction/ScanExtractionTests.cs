using Microsoft.Extensions.DependencyInjection;

namespace ScraperSky.Scanning.Tests.Extraction;

/// Full scans over real HTTP against the fleet: the extractor wired into the scanner, contact pages included.
public sealed class ScanExtractionTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<SiteMetadata> ScanAsync(string domain, int? maxPages = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        using var services = fixture.CreateServices(settings);
        return await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = domain, MaxPages = maxPages }, null, Ct);
    }

    [Fact]
    public async Task Contact_pages_add_their_phones_emails_and_profiles_to_the_homepage_result()
    {
        var metadata = await ScanAsync("contact-crawl.test");

        Assert.Equal("Riverside Plumbing", metadata.Title);
        Assert.Equal(["+16125550187", "+16125550164"], metadata.ContactInfo.Phones.Select(p => p.E164));
        Assert.Equal(["+1 612-555-0187", "+1 612-555-0164"], metadata.ContactInfo.Phone);
        Assert.Equal(["office@riverside-plumbing.com"], metadata.ContactInfo.Email);
        Assert.Equal("https://facebook.com/RiversidePlumbing", metadata.SocialLinks.Facebook);
        Assert.Equal("https://instagram.com/riversideplumbing", metadata.SocialLinks.Instagram);
        Assert.Equal("http://contact-crawl.test/img/riverside-logo.png", metadata.LogoUrl);
    }

    [Fact]
    public async Task A_page_robots_txt_disallows_is_not_read()
    {
        var metadata = await ScanAsync("contact-crawl.test");

        Assert.Equal(
            ["http://contact-crawl.test/", "http://contact-crawl.test/contact/", "http://contact-crawl.test/about/"],
            metadata.PagesScanned);
        Assert.DoesNotContain("hiring@riverside-plumbing.com", metadata.ContactInfo.Email);
        Assert.DoesNotContain(metadata.ContactInfo.Phones, p => p.E164 == "+16125550111");
    }

    [Fact]
    public async Task A_missing_contact_page_costs_that_page_not_the_scan()
    {
        // /impressum is linked and ranks second, but the site answers 404 for it.
        var metadata = await ScanAsync("contact-crawl.test");

        Assert.DoesNotContain("http://contact-crawl.test/impressum", metadata.PagesScanned);
        Assert.Equal(3, metadata.PagesScanned.Count);
    }

    [Fact]
    public async Task Max_pages_bounds_the_contact_pages_read()
    {
        var homepageOnly = await ScanAsync("contact-crawl.test", maxPages: 1);
        Assert.Equal(["http://contact-crawl.test/"], homepageOnly.PagesScanned);
        Assert.Empty(homepageOnly.ContactInfo.Phones);

        var two = await ScanAsync("contact-crawl.test", maxPages: 2);
        Assert.Equal(["http://contact-crawl.test/", "http://contact-crawl.test/contact/"], two.PagesScanned);
    }

    [Fact]
    public async Task The_configured_number_of_contact_pages_applies_without_max_pages()
    {
        var metadata = await ScanAsync("contact-crawl.test", settings: new Dictionary<string, string?> { ["Scanning:ContactPages"] = "0" });
        Assert.Equal(["http://contact-crawl.test/"], metadata.PagesScanned);
    }

    [Fact]
    public async Task A_latin1_page_is_decoded_before_extraction()
    {
        var metadata = await ScanAsync("latin1-shop.test");

        Assert.Equal("Café Müller · Pâtisserie", metadata.Title);
        Assert.Equal("Crème brûlée et éclairs à Paris.", metadata.Description);
        Assert.Equal(["+33142685300"], metadata.ContactInfo.Phones.Select(p => p.E164));
        Assert.Equal(["commande@cafe-muller.fr"], metadata.ContactInfo.Email);
    }

    [Fact]
    public async Task A_WordPress_site_scanned_over_http_reports_versions_and_tech_stack()
    {
        var metadata = await ScanAsync("wordpress-elementor.test");

        Assert.True(metadata.IsWordpress);
        Assert.Equal("6.4.2", metadata.WordpressVersion);
        Assert.True(metadata.HasElementor);
        Assert.Equal("3.18.3", metadata.ElementorVersion);
        Assert.Contains("Google Tag Manager", metadata.TechStack.Analytics);
        Assert.Contains(metadata.Technologies, t => t.Name == "Yoast SEO" && t.Version == "21.7" && t.Confidence == 100);
        Assert.Equal(["+16125550143"], metadata.ContactInfo.Phones.Select(p => p.E164));
        Assert.Equal("https://wordpress-elementor.test/wp-content/uploads/2023/01/cropped-icon-32x32.png", metadata.FaviconUrl);
    }

    [Fact]
    public async Task Fingerprints_from_a_configured_directory_are_detected_alongside_the_shipped_ones()
    {
        var directory = Directory.CreateTempSubdirectory("fingerprints-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "technologies"));
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "categories.json"),
                """{ "52": { "name": "Live chat", "priority": 9 } }""", Ct);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "technologies", "r.json"),
                """{ "Riverside Chat": { "cats": [52], "html": "riverside-logo\\.png" } }""", Ct);

            var metadata = await ScanAsync("contact-crawl.test", maxPages: 1,
                new Dictionary<string, string?> { ["Scanning:FingerprintsDirectory"] = directory.FullName });

            Assert.Equal(["Riverside Chat"], metadata.TechStack.Widgets);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
