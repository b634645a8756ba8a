using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Tests;

/// A page's text is a pooled buffer: a scan gives back every page it fetched by the time it ends, whether the page was
/// read, skipped (contact-crawl.test links a missing page) or failed the scan, and reads none after giving it back (that would throw and fail the scan).
public sealed class PageLifetimeTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("contact-crawl.test", 4)]
    [InlineData("wordpress-feed.test", 2)]
    public async Task Every_page_a_scan_fetches_is_given_back_by_the_time_it_ends(string domain, int atLeast)
    {
        var fetched = new ConcurrentQueue<FetchedPage>();
        using var services = CreateServices(fetched);

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = domain, IncludeSitemaps = true }, null, Ct);

        Assert.NotNull(metadata.Title);
        Assert.True(fetched.Count >= atLeast, $"{fetched.Count} pages fetched");
        Assert.All(fetched, page => Assert.Throws<ObjectDisposedException>(() => page.Html.Memory));
    }

    [Fact]
    public async Task A_homepage_that_fails_the_scan_is_given_back_too()
    {
        var fetched = new ConcurrentQueue<FetchedPage>();
        using var services = CreateServices(fetched);

        await Assert.ThrowsAsync<ScanException>(() => services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "cf-challenge.test", IncludeSitemaps = false }, null, Ct));

        var page = Assert.Single(fetched);
        Assert.Throws<ObjectDisposedException>(() => page.Html.Memory);
    }

    private ServiceProvider CreateServices(ConcurrentQueue<FetchedPage> fetched) =>
        fixture.CreateServices(replace: services => services.AddTransient<IWebFetcher>(
            sp => new RecordingFetcher(ActivatorUtilities.CreateInstance<WebFetcher>(sp), fetched)));

    private sealed class RecordingFetcher(IWebFetcher inner, ConcurrentQueue<FetchedPage> fetched) : IWebFetcher
    {
        public async Task<FetchedPage> GetPageAsync(Uri url, IPageRoom? room, CancellationToken cancellationToken)
        {
            var page = await inner.GetPageAsync(url, room, cancellationToken);
            fetched.Enqueue(page);
            return page;
        }

        public Task<FetchedStream> OpenAsync(Uri url, long maxBytes, Func<Uri, bool>? mayRedirectTo, CancellationToken cancellationToken) =>
            inner.OpenAsync(url, maxBytes, mayRedirectTo, cancellationToken);
    }
}
