using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Tests.Fetching;

namespace ScraperSky.Scanning.Tests;

/// A bot challenge or CAPTCHA wall in place of the homepage fails the scan for good, saying the site blocked it;
/// a page that merely uses a CAPTCHA on its form is a page like any other.
public sealed class BlockedScanTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<SiteMetadata> ScanAsync(string domain)
    {
        using var services = fixture.CreateServices();
        return await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = domain, IncludeSitemaps = false }, null, Ct);
    }

    [Theory]
    [InlineData("cf-challenge.test", "cf-challenge.test blocked the scan with a bot challenge (Cloudflare).")]
    [InlineData("just-a-moment.test", "just-a-moment.test blocked the scan with a bot challenge (Cloudflare).")]
    [InlineData("datadome-block.test", "datadome-block.test blocked the scan with a bot challenge (DataDome).")]
    [InlineData("captcha-wall.test", "captcha-wall.test blocked the scan with a bot challenge (hCaptcha).")]
    public async Task A_challenge_instead_of_the_homepage_fails_the_scan_for_good_saying_the_site_blocked_it(string domain, string reason)
    {
        var error = await Assert.ThrowsAsync<ScanException>(() => ScanAsync(domain));

        Assert.Equal(reason, error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_page_with_a_recaptcha_form_and_cloudflare_scripts_is_scanned_as_the_page_it_is()
    {
        var metadata = await ScanAsync("recaptcha-form.test");

        Assert.Equal("Northside Dental Practice", metadata.Title);
        Assert.Equal(["hello@northside-dental.test"], metadata.ContactInfo.Email);
    }

    [Theory]
    [InlineData(403, "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>")]
    [InlineData(503, "<html><head><title>Down for maintenance</title></head><body><p>Back soon.</p></body></html>")]
    [InlineData(200, "<html><head><title>Just a moment... we are updating our menu</title></head><body><p>Lunch is served.</p></body></html>")]
    [InlineData(200, "<html><head><title>Contact</title><script src='https://js.hcaptcha.com/1/api.js'></script></head><body><div class='h-captcha'></div></body></html>")]
    public void An_error_page_or_a_page_without_a_challenge_is_not_taken_for_one(int status, string html)
    {
        Assert.Null(BotChallenge.Detect(Page(status, html)));
    }

    [Theory]
    [InlineData(429, "<html><head><title>Attention Required! | Cloudflare</title></head><body></body></html>", "Cloudflare")]
    [InlineData(403, "<html><head><title>Access Denied</title></head><body>Reference #18.abc <a href='https://errors.edgesuite.net/18.abc'>x</a></body></html>", "Akamai")]
    [InlineData(403, "<html><head><title>Pardon Our Interruption</title></head><body></body></html>", "Imperva")]
    [InlineData(403, "<html><head><title>Security check</title></head><body><div class='g-recaptcha'></div></body></html>", "reCAPTCHA")]
    [InlineData(403, "<html><head><title>One more step</title></head><body>Please complete the check.</body></html>", "")]
    public void An_error_page_with_a_challenge_title_or_marker_is_a_challenge(int status, string html, string vendor)
    {
        Assert.Equal(vendor, BotChallenge.Detect(Page(status, html)));
    }

    [Fact]
    public void A_challenge_is_told_from_the_start_of_a_page_that_stays_bytes_for_the_extraction_lane()
    {
        var texts = new CountingPool<char>();
        var html = "<html><head><title>Just a moment...</title></head><body><script src='/cdn-cgi/challenge-platform/h/b/orchestrate'></script>"
            + new string(' ', 200_000) + "</body></html>";
        using var text = PageText.Decode(Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", new CountingPool<byte>(), texts);

        Assert.Equal("Cloudflare", BotChallenge.Detect(Page(403, text)));
        Assert.Equal(0, texts.Rented);
    }

    private static FetchedPage Page(int status, string html) => Page(status, PageText.Of(html));

    private static FetchedPage Page(int status, PageText html)
    {
        var url = new Uri("https://inline.test/");
        return new FetchedPage
        {
            RequestedUrl = url,
            FinalUrl = url,
            StatusCode = status,
            Headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase),
            Html = html,
        };
    }
}
