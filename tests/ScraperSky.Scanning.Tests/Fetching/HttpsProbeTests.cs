using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Scanning.Tests.Fetching;

/// Requests in flight to a host nothing is known of share one https attempt (<see cref="HttpsFallbackMemory.Probe"/>),
/// against the fleet's TLS listener. Each test has hosts of its own, as the fleet counts handshakes per host.
public sealed class HttpsProbeTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestSiteFleet Fleet => fixture.Fleet;

    [Fact]
    public async Task Concurrent_requests_to_a_host_without_https_make_one_https_attempt()
    {
        var host = NewHost("no-tls");
        Fleet.SetTls(host, TlsMode.Refused);
        Fleet.SetTlsDelay(host, TimeSpan.FromMilliseconds(300));
        Fleet.Map(host, ServeSchemePageAsync);
        using var services = fixture.CreateServices(Fleet.HttpsSettings);

        // One fetcher per request, as a scan's homepage, robots.txt and sitemaps each have their own.
        var pages = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), Ct)));

        Assert.All(pages, page => Assert.Equal(new Uri($"http://{host}/"), page.FinalUrl));
        Assert.Equal(1, Fleet.HandshakesFor(host));
        Assert.True(services.GetRequiredService<HttpsFallbackMemory>().LacksHttps(host));
    }

    [Fact]
    public async Task Requests_to_a_host_with_https_go_over_https_and_wait_for_the_first_ones_handshake_not_its_answer()
    {
        var host = NewHost("tls");
        Fleet.SetTlsDelay(host, TimeSpan.FromMilliseconds(200));
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Fleet.Map(host, async context =>
        {
            if (context.Request.Path == "/held")
            {
                await held.Task.WaitAsync(context.RequestAborted);
            }

            await ServeSchemePageAsync(context);
        });
        using var services = fixture.CreateServices(Fleet.HttpsSettings);

        // The first request's attempt is the host's: it goes out before the others are sent.
        var first = services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/held"), Ct);
        var others = Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"http://{host}/"), Ct)));

        // Answered while the first request's answer is still held back: they waited for its handshake only.
        var pages = await others.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(first.IsCompleted);
        held.SetResult();
        var firstPage = await first;

        Assert.All(pages, page => Assert.Equal(new Uri($"https://{host}/"), page.FinalUrl));
        Assert.Equal(new Uri($"https://{host}/held"), firstPage.FinalUrl);
        Assert.Equal(0, Fleet.HitsFor(host, Uri.UriSchemeHttp));
        Assert.False(services.GetRequiredService<HttpsFallbackMemory>().LacksHttps(host));
    }

    [Fact]
    public async Task A_handshake_that_times_out_sends_every_request_waiting_for_it_to_http()
    {
        var host = NewHost("hang");
        Fleet.SetTls(host, TlsMode.Hang);
        Fleet.Map(host, ServeSchemePageAsync);
        using var services = fixture.CreateServices(new Dictionary<string, string?>(Fleet.HttpsSettings)
        {
            ["Scanning:ConnectTimeout"] = "00:00:00.300",
            ["Scanning:ResponseTimeout"] = "00:00:05",
        });

        var pages = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), Ct)));

        Assert.All(pages, page => Assert.Equal(new Uri($"http://{host}/"), page.FinalUrl));
        Assert.Equal(1, Fleet.HandshakesFor(host));
        Assert.True(services.GetRequiredService<HttpsFallbackMemory>().LacksHttps(host));
    }

    [Theory]
    [InlineData(TlsMode.Trusted, "https")]
    [InlineData(TlsMode.Refused, "http")]
    public async Task A_cancelled_attempt_decides_nothing_and_a_waiting_request_makes_its_own(TlsMode mode, string scheme)
    {
        var host = NewHost($"cancelled-{mode}".ToLowerInvariant());
        Fleet.SetTls(host, mode);
        Fleet.SetTlsDelay(host, TimeSpan.FromMilliseconds(500));
        Fleet.Map(host, ServeSchemePageAsync);
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        using var cancelFirst = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var first = services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), cancelFirst.Token);
        var second = services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), Ct);
        await Task.Delay(100, Ct);
        await cancelFirst.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var page = await second.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(new Uri($"{scheme}://{host}/"), page.FinalUrl);
        Assert.Contains($"<title>Served over {scheme}</title>", page.Html.ToString(), StringComparison.Ordinal);
        Assert.Equal(mode == TlsMode.Refused, services.GetRequiredService<HttpsFallbackMemory>().LacksHttps(host));
    }

    [Fact]
    public async Task A_request_waiting_for_an_attempt_can_be_cancelled_without_deciding_for_it()
    {
        var host = NewHost("waiter-cancelled");
        Fleet.SetTlsDelay(host, TimeSpan.FromMilliseconds(500));
        Fleet.Map(host, ServeSchemePageAsync);
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        using var cancelSecond = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var first = services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), Ct);
        var second = services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), cancelSecond.Token);
        await cancelSecond.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        var page = await first;
        Assert.Equal(new Uri($"https://{host}/"), page.FinalUrl);
        Assert.Equal(1, Fleet.HandshakesFor(host));
    }

    [Fact]
    public async Task A_scan_of_a_site_without_https_makes_one_https_attempt_for_its_homepage_and_robots_txt()
    {
        // robots.txt is asked for beside the homepage: both used to make their own attempt.
        var host = NewHost("scan");
        Fleet.SetTls(host, TlsMode.Refused);
        Fleet.SetTlsDelay(host, TimeSpan.FromMilliseconds(200));
        Fleet.Map(host, context => Fleet.ServeFixtureAsync(context, "http-only.test"));
        using var services = fixture.CreateServices(Fleet.HttpsSettings);

        var metadata = await services.GetRequiredService<IDomainScanner>().ScanAsync(new ScanRequest { Domain = host }, null, Ct);

        Assert.Equal($"http://{host}/", metadata.FinalUrl);
        Assert.Equal("Plain Old Hardware", metadata.Title);
        Assert.Equal(1, Fleet.HitsOnPath(host, "/robots.txt"));
        Assert.Equal(1, Fleet.HandshakesFor(host));
        Assert.Equal(0, Fleet.HitsFor(host, Uri.UriSchemeHttps));
    }

    private static string NewHost(string name) => $"probe-{name}-{Guid.NewGuid():N}.test";

    private static Task ServeSchemePageAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            $"<!doctype html><html><head><title>{SchemeSites.SchemePageTitle(context.Request.Scheme)}</title></head><body></body></html>",
            Encoding.UTF8,
            context.RequestAborted);
    }
}
