using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Scanning.Tests.Fetching;

/// The fetcher against the fleet's TLS listener: https routed to it, the fleet's CA trusted through
/// `Scanning:ExtraRootCertificates` (see <see cref="TestSiteFleet.HttpsSettings"/>).
public sealed class HttpsFetchingTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestSiteFleet Fleet => fixture.Fleet;

    [Fact]
    public async Task A_site_with_a_trusted_certificate_is_fetched_over_https_and_no_fallback_is_remembered()
    {
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        const string host = "secure-shop.gen.test";

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), Ct);

        Assert.Equal(200, page.StatusCode);
        Assert.Equal(new Uri($"https://{host}/"), page.FinalUrl);
        Assert.Empty(page.RedirectChain);
        Assert.Contains("<title>Secure Shop</title>", page.Html.ToString(), StringComparison.Ordinal);
        Assert.False(services.GetRequiredService<HttpsFallbackMemory>().LacksHttps(host));
        Assert.Equal(1, Fleet.HitsFor(host, Uri.UriSchemeHttps));
        Assert.Equal(0, Fleet.HitsFor(host, Uri.UriSchemeHttp));
    }

    [Fact]
    public async Task An_http_url_of_a_site_with_https_is_fetched_over_https_without_a_redirect()
    {
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        var httpHits = Fleet.HitsFor("https-only.test", Uri.UriSchemeHttp);

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("http://https-only.test/"), Ct);

        Assert.Equal(200, page.StatusCode);
        Assert.Equal(new Uri("https://https-only.test/"), page.FinalUrl);
        Assert.Empty(page.RedirectChain);
        Assert.Contains("<title>Harbour Lights Opticians</title>", page.Html.ToString(), StringComparison.Ordinal);
        Assert.Equal(httpHits, Fleet.HitsFor("https-only.test", Uri.UriSchemeHttp));
    }

    [Fact]
    public async Task A_host_without_tls_falls_back_to_http_and_is_then_fetched_over_http_directly()
    {
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        var fetcher = services.GetRequiredService<IWebFetcher>();
        const string host = "http-only.test";
        var handshakes = Fleet.HandshakesFor(host);
        var httpHits = Fleet.HitsFor(host, Uri.UriSchemeHttp);

        var first = await fetcher.GetPageAsync(new Uri($"https://{host}/"), Ct);

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(new Uri($"http://{host}/"), first.FinalUrl);
        Assert.Empty(first.RedirectChain);
        Assert.Contains("<title>Plain Old Hardware</title>", first.Html.ToString(), StringComparison.Ordinal);
        Assert.True(services.GetRequiredService<HttpsFallbackMemory>().LacksHttps(host));
        Assert.Equal(handshakes + 1, Fleet.HandshakesFor(host));

        var second = await fetcher.GetPageAsync(new Uri($"https://{host}/"), Ct);

        Assert.Equal(new Uri($"http://{host}/"), second.FinalUrl);
        Assert.Equal(handshakes + 1, Fleet.HandshakesFor(host));
        Assert.Equal(httpHits + 2, Fleet.HitsFor(host, Uri.UriSchemeHttp));
        Assert.Equal(0, Fleet.HitsFor(host, Uri.UriSchemeHttps));
    }

    [Theory]
    [InlineData("badcert.test")]
    [InlineData("expired-cert.test")]
    [InlineData("wrong-name-cert.test")]
    public async Task An_untrusted_certificate_counts_as_a_failed_handshake_and_the_page_is_fetched_over_http(string host)
    {
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        var handshakes = Fleet.HandshakesFor(host);
        var httpsHits = Fleet.HitsFor(host, Uri.UriSchemeHttps);

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), Ct);

        Assert.Equal(new Uri($"http://{host}/"), page.FinalUrl);
        Assert.Contains($"<title>{SchemeSites.SchemePageTitle("http")}</title>", page.Html.ToString(), StringComparison.Ordinal);
        Assert.True(services.GetRequiredService<HttpsFallbackMemory>().LacksHttps(host));
        Assert.Equal(handshakes + 1, Fleet.HandshakesFor(host));
        Assert.Equal(httpsHits, Fleet.HitsFor(host, Uri.UriSchemeHttps));
    }

    [Fact]
    public async Task A_certificate_from_the_fleet_ca_is_not_trusted_unless_the_ca_is_configured()
    {
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:HostMap:test"] = Fleet.HttpsHostMapValue });
        const string host = "untrusted-ca.gen.test";

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), Ct);

        Assert.Equal(new Uri($"http://{host}/"), page.FinalUrl);
        Assert.Equal(1, Fleet.HandshakesFor(host));
        Assert.Equal(0, Fleet.HitsFor(host, Uri.UriSchemeHttps));
        Assert.True(services.GetRequiredService<HttpsFallbackMemory>().LacksHttps(host));
    }

    [Fact]
    public async Task Every_root_of_a_pem_bundle_is_trusted()
    {
        var bundle = Path.Combine(Path.GetTempPath(), $"scrapersky-bundle-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(bundle, OtherRootPem() + "\n" + Fleet.CaCertificatePem, Ct);
        try
        {
            using var services = fixture.CreateServices(new Dictionary<string, string?>
            {
                ["Scanning:HostMap:test"] = Fleet.HttpsHostMapValue,
                ["Scanning:ExtraRootCertificates:0"] = bundle,
            });

            var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://bundled-roots.gen.test/"), Ct);

            Assert.Equal(new Uri("https://bundled-roots.gen.test/"), page.FinalUrl);
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    [Fact]
    public async Task A_failed_https_attempt_is_thrown_up_the_request_path_only_a_few_times_before_the_http_fallback()
    {
        // Every host without https costs one failed handshake. Counted on this fetch's own async path (an AsyncLocal
        // flag, so other tests running meanwhile do not count): every layer between the handler and the fetcher that
        // catches and rethrows it adds a throw, and each throw is a stack walk.
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        var fetcher = services.GetRequiredService<IWebFetcher>();
        var thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (OnFetchPath.Value)
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            OnFetchPath.Value = true;
            var page = await fetcher.GetPageAsync(new Uri("https://http-only.test/"), Ct);
            OnFetchPath.Value = false;

            Assert.Equal(new Uri("http://http-only.test/"), page.FinalUrl);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.InRange(thrown, 1, MaxThrowsPerFailedHttpsAttempt);
    }

    [Fact]
    public async Task A_handshake_that_never_completes_ends_at_the_connect_timeout_and_falls_back_to_http()
    {
        // The whole fetch has 5 s; the handshake has the 300 ms connect timeout. Reaching http at all proves that the
        // connect timeout, not the response deadline, ended the https attempt.
        using var services = fixture.CreateServices(new Dictionary<string, string?>(Fleet.HttpsSettings)
        {
            ["Scanning:ConnectTimeout"] = "00:00:00.300",
            ["Scanning:ResponseTimeout"] = "00:00:05",
        });
        const string host = "slow-handshake.test";
        var handshakes = Fleet.HandshakesFor(host);

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), Ct);

        Assert.Equal(new Uri($"http://{host}/"), page.FinalUrl);
        Assert.Contains($"<title>{SchemeSites.SchemePageTitle("http")}</title>", page.Html.ToString(), StringComparison.Ordinal);
        Assert.Equal(handshakes + 1, Fleet.HandshakesFor(host));
        Assert.True(services.GetRequiredService<HttpsFallbackMemory>().LacksHttps(host));
    }

    [Fact]
    public async Task A_redirect_from_http_to_https_is_followed_over_https_and_recorded()
    {
        using var services = fixture.CreateServices(Fleet.HttpsSettings);

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("http://http-only.test/to-https"), Ct);

        Assert.Equal(200, page.StatusCode);
        Assert.Equal(new Uri("https://https-only.test/"), page.FinalUrl);
        Assert.Equal([new Uri("http://http-only.test/to-https")], page.RedirectChain);
        Assert.Contains("<title>Harbour Lights Opticians</title>", page.Html.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_from_https_to_http_is_followed_over_http_and_recorded()
    {
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        var handshakes = Fleet.HandshakesFor("http-only.test");

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://https-only.test/to-http"), Ct);

        Assert.Equal(200, page.StatusCode);
        Assert.Equal(new Uri("http://http-only.test/"), page.FinalUrl);
        Assert.Equal([new Uri("https://https-only.test/to-http")], page.RedirectChain);
        Assert.Contains("<title>Plain Old Hardware</title>", page.Html.ToString(), StringComparison.Ordinal);
        // Only the first request of a fetch is upgraded: an explicit http redirect target is not tried over https.
        Assert.Equal(handshakes, Fleet.HandshakesFor("http-only.test"));
    }

    [Theory]
    [InlineData("https://https-to-loopback.test/", "Refused to connect to 127.0.0.1: loopback address")]
    [InlineData("http://https-to-loopback.test/", "Refused to connect to 127.0.0.1: loopback address")]
    [InlineData("https://https-to-metadata.test/", "Refused to connect to 169.254.169.254: link-local address (cloud metadata range)")]
    public async Task An_https_redirect_to_a_non_public_address_is_refused_with_the_usual_reason(string url, string message)
    {
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        var fetcher = services.GetRequiredService<IWebFetcher>();

        var error = await Assert.ThrowsAsync<ScanException>(() => fetcher.GetPageAsync(new Uri(url), Ct));

        Assert.Equal(message, error.Message);
        Assert.False(error.IsTransient);
        Assert.False(services.GetRequiredService<HttpsFallbackMemory>().LacksHttps("https-to-loopback.test"));
        var next = await fetcher.GetPageAsync(new Uri("https://https-only.test/"), Ct);
        Assert.Equal(new Uri("https://https-only.test/"), next.FinalUrl);
    }

    [Fact]
    public async Task A_stream_is_opened_over_https()
    {
        using var services = fixture.CreateServices(Fleet.HttpsSettings);

        await using var response = await services.GetRequiredService<IWebFetcher>()
            .OpenAsync(new Uri("https://br.compressed.test/"), 1024 * 1024, Ct);
        using var reader = new StreamReader(response.Body);
        var text = await reader.ReadToEndAsync(Ct);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(new Uri("https://br.compressed.test/"), response.FinalUrl);
        Assert.Contains(CompressedSites.Marker, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scan_of_an_https_only_site_reads_every_page_over_https()
    {
        using var services = fixture.CreateServices(Fleet.HttpsSettings);
        var httpHits = Fleet.HitsFor("https-only.test", Uri.UriSchemeHttp);

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "https-only.test" }, null, Ct);

        Assert.Equal("https://https-only.test/", metadata.FinalUrl);
        Assert.Equal(200, metadata.HttpStatus);
        Assert.Empty(metadata.RedirectChain);
        Assert.Equal("Harbour Lights Opticians", metadata.Title);
        Assert.Equal("Eye tests and glasses, served over https only.", metadata.Description);
        Assert.Equal("en-GB", metadata.Language);
        Assert.Equal("https://https-only.test/img/logo.png", metadata.LogoUrl);
        Assert.Equal("https://https-only.test/favicon.png", metadata.FaviconUrl);
        Assert.Equal(["appointments@harbour-lights.co.uk"], metadata.ContactInfo.Email);
        Assert.Equal("+442079460958", Assert.Single(metadata.ContactInfo.Phones).E164);
        Assert.Equal(["https://https-only.test/", "https://https-only.test/contact/"], metadata.PagesScanned);
        Assert.Equal(httpHits, Fleet.HitsFor("https-only.test", Uri.UriSchemeHttp));
    }

    // Counted: 21 throws behind the factory's logging handlers and a resilience pipeline (timeout, retry); 17 without
    // the logging handlers and the timeout; 15 with the fetcher retrying itself; 12 with the fetcher sending to the
    // handler without an HttpClient and taking the failure as its task's result instead of awaiting it. What is left
    // is SocketsHttpHandler's own (SslStream, the connect helper, the connection pool, its metrics and decompression).
    private const int MaxThrowsPerFailedHttpsAttempt = 12;

    private static readonly AsyncLocal<bool> OnFetchPath = new();

    private static string OtherRootPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Corporate Proxy Root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return root.ExportCertificatePem();
    }
}
