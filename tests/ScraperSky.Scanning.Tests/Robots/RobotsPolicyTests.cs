using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Robots;

namespace ScraperSky.Scanning.Tests.Robots;

public sealed class RobotsPolicyTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_group_for_our_product_token_decides_and_robots_txt_is_read_once_per_host()
    {
        using var services = fixture.CreateServices();
        var policy = services.GetRequiredService<RobotsPolicy>();
        var before = fixture.Fleet.HitsFor("robots.test");

        Assert.True(await policy.IsAllowedAsync(new Uri("https://robots.test/private/page"), Ct));
        Assert.False(await policy.IsAllowedAsync(new Uri("https://robots.test/no-scrapersky/page"), Ct));
        Assert.True(await policy.IsAllowedAsync(new Uri("https://robots.test/no-scrapersky/except-this"), Ct));
        Assert.True(await policy.IsAllowedAsync(new Uri("http://robots.test/contact"), Ct));

        Assert.Equal(1, fixture.Fleet.HitsFor("robots.test") - before);
        var robots = await policy.GetAsync(new Uri("https://robots.test/"), Ct);
        Assert.Equal(["http://robots.test/sitemap.xml", "https://cdn.robots.test/sitemap-2.xml"], robots.Sitemaps);
        Assert.Equal(TimeSpan.FromSeconds(2), robots.ForAgent(policy.ProductToken).CrawlDelay);
    }

    [Fact]
    public async Task A_redirected_robots_txt_is_followed()
    {
        using var services = fixture.CreateServices();
        var policy = services.GetRequiredService<RobotsPolicy>();

        Assert.False(await policy.IsAllowedAsync(new Uri("https://robots-redirect.test/no-scrapersky/page"), Ct));
        Assert.True(await policy.IsAllowedAsync(new Uri("https://robots-redirect.test/page"), Ct));
    }

    [Fact]
    public async Task A_missing_robots_txt_allows_everything()
    {
        using var services = fixture.CreateServices();
        var policy = services.GetRequiredService<RobotsPolicy>();

        Assert.True(await policy.IsAllowedAsync(new Uri("https://basic.test/contact"), Ct));
    }

    [Theory]
    [InlineData("https://flaky.status503.gen.test/contact")]
    [InlineData("https://fails.status500.gen.test/contact")]
    [InlineData("https://hangup.hostile.test/contact")]
    [InlineData("https://to-loopback.hostile.test/contact")]
    public async Task A_server_error_or_unreachable_robots_txt_disallows_everything(string url)
    {
        using var services = fixture.CreateServices();
        var policy = services.GetRequiredService<RobotsPolicy>();

        Assert.False(await policy.IsAllowedAsync(new Uri(url), Ct));
    }

    [Fact]
    public async Task A_robots_txt_larger_than_the_limit_is_parsed_up_to_the_limit()
    {
        fixture.Fleet.Map("huge-robots.test", async context =>
        {
            var body = new StringBuilder("User-agent: *\nDisallow: /early\n");
            while (body.Length < 2 * 1024 * 1024)
            {
                body.Append("Disallow: /filler-rule-that-is-long-enough-to-fill-the-file\n");
            }

            await context.Response.WriteAsync(body.ToString(), context.RequestAborted);
        });
        using var services = fixture.CreateServices();
        var policy = services.GetRequiredService<RobotsPolicy>();

        Assert.False(await policy.IsAllowedAsync(new Uri("https://huge-robots.test/early"), Ct));
        Assert.True(await policy.IsAllowedAsync(new Uri("https://huge-robots.test/late"), Ct));
    }

    [Fact]
    public async Task The_product_token_follows_the_configured_user_agent()
    {
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:UserAgent"] = "AcmeBot/2.0 (+https://acme.example/bot)" });
        var policy = services.GetRequiredService<RobotsPolicy>();

        Assert.Equal("AcmeBot", policy.ProductToken);
        Assert.True(await policy.IsAllowedAsync(new Uri("https://robots.test/no-scrapersky/page"), Ct));
        Assert.False(await policy.IsAllowedAsync(new Uri("https://robots.test/private/page"), Ct));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; ScraperSky/1.0; +https://scrapersky.example/bot)", "ScraperSky")]
    [InlineData("AcmeBot/2.0 (+https://acme.example/bot)", "AcmeBot")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/120.0 Safari/537.36", "Googlebot")]
    [InlineData("custom crawler without versions", "custom")]
    [InlineData("", "ScraperSky")]
    public void The_product_token_is_derived_from_a_user_agent(string userAgent, string token)
    {
        Assert.Equal(token, RobotsPolicy.ProductTokenFrom(userAgent));
    }
}
