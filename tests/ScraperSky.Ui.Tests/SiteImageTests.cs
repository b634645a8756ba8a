using System.Net;

namespace ScraperSky.Ui.Tests;

/// `GET /api/v1/domains/{domain}/favicon` and `/logo`: fetched from the site through the scanner's fetcher, checked,
/// cached and served from this server.
[Collection(UiCollection.Name)]
public sealed class SiteImageTests(UiServerFixture fixture)
{
    [Fact]
    public async Task A_favicon_is_served_as_the_image_it_is_and_a_second_request_is_answered_from_the_cache()
    {
        await fixture.ScanAsync("ray.shop.ui.test");
        var hits = fixture.Fleet.HitsFor("ray.shop.ui.test");

        using var first = await fixture.Api.GetAsync("/api/v1/domains/ray.shop.ui.test/favicon", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/png", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(UiSites.Png, await first.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Contains("max-age", first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.True(first.Headers.CacheControl?.Private);
        var afterFirst = fixture.Fleet.HitsFor("ray.shop.ui.test");
        Assert.True(afterFirst > hits, "The first request fetches the icon from the site.");

        using var second = await fixture.Api.GetAsync("/api/v1/domains/ray.shop.ui.test/favicon", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(afterFirst, fixture.Fleet.HitsFor("ray.shop.ui.test"));
    }

    [Fact]
    public async Task An_svg_logo_is_served_with_a_policy_that_lets_it_run_nothing()
    {
        await fixture.ScanAsync("sue.shop.ui.test");

        using var logo = await fixture.Api.GetAsync("/api/v1/domains/sue.shop.ui.test/logo", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, logo.StatusCode);
        Assert.Equal("image/svg+xml", logo.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", logo.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("sandbox", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", logo.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task An_icon_that_is_not_an_image_is_refused_with_a_reason()
    {
        await fixture.ScanAsync("tom.badicon.ui.test");

        using var icon = await fixture.Api.GetAsync("/api/v1/domains/tom.badicon.ui.test/favicon", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, icon.StatusCode);
        Assert.Contains("not an image", await icon.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_without_a_logo_and_another_tenants_domain_are_not_found()
    {
        await fixture.ScanAsync("uma.plain.ui.test");

        using var none = await fixture.Api.GetAsync("/api/v1/domains/uma.plain.ui.test/logo", TestContext.Current.CancellationToken);
        using var other = await fixture.Api.GetAsync($"/api/v1/domains/uma.plain.ui.test/favicon?tenant_id={Guid.NewGuid()}", TestContext.Current.CancellationToken);
        using var never = await fixture.Api.GetAsync("/api/v1/domains/never-scanned.ui.test/favicon", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("found no logo", await none.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, never.StatusCode);
    }
}
