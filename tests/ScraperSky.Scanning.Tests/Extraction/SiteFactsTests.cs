using Microsoft.Extensions.DependencyInjection;

namespace ScraperSky.Scanning.Tests.Extraction;

/// Facts that used to come out wrong, through full scans of the fleet: profiles, the favicon and the host form of
/// every URL in a result.
public sealed class SiteFactsTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<SiteMetadata> ScanAsync(string domain)
    {
        using var services = fixture.CreateServices();
        return await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = domain, IncludeSitemaps = false }, null, Ct);
    }

    [Fact]
    public async Task An_instagram_handle_with_a_dot_is_kept_even_as_a_plain_link_in_the_text()
    {
        var metadata = await ScanAsync("social-handles.test");

        Assert.Equal("https://instagram.com/some.brand", metadata.SocialLinks.Instagram);
    }

    [Fact]
    public async Task An_x_profile_is_reported_with_x_own_url_in_the_twitter_field()
    {
        var metadata = await ScanAsync("social-handles.test");

        Assert.Equal("https://x.com/somebrand", metadata.SocialLinks.Twitter);
    }

    [Fact]
    public async Task A_site_that_declares_no_icon_and_serves_no_favicon_ico_has_no_favicon()
    {
        var metadata = await ScanAsync("social-handles.test");

        Assert.Null(metadata.FaviconUrl);
    }

    [Fact]
    public async Task Favicon_ico_is_reported_when_the_site_serves_one_though_the_page_declares_none()
    {
        var metadata = await ScanAsync("with-favicon.test");

        Assert.Equal("http://with-favicon.test/favicon.ico", metadata.FaviconUrl);
    }

    [Fact]
    public async Task A_favicon_ico_answered_with_an_html_page_is_not_a_favicon()
    {
        var metadata = await ScanAsync("soft-favicon.test");

        Assert.Null(metadata.FaviconUrl);
    }

    [Fact]
    public async Task A_declared_icon_is_taken_as_declared_without_a_check()
    {
        var metadata = await ScanAsync("declared-icon.test");

        Assert.Equal("http://declared-icon.test/brand/icon.svg", metadata.FaviconUrl);
        Assert.Equal(1, fixture.Fleet.HitsFor("declared-icon.test"));
    }

    [Fact]
    public async Task Every_url_of_an_idn_site_is_in_the_punycode_form_of_its_final_url()
    {
        var metadata = await ScanAsync("xn--bcher-kva.test");

        Assert.Equal("http://xn--bcher-kva.test/", metadata.FinalUrl);
        Assert.Equal("http://xn--bcher-kva.test/icon.png", metadata.FaviconUrl);
        Assert.Equal("http://xn--bcher-kva.test/logo.png", metadata.LogoUrl);
        Assert.Equal(["http://xn--bcher-kva.test/", "http://xn--bcher-kva.test/kontakt/"], metadata.PagesScanned);
    }
}
