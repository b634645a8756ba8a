using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Scanning.Tests.Fetching;

public sealed class WebFetcherTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Short enough to keep the hostile tests quick, long enough that a busy machine still gets the headers in time.
    private static readonly Dictionary<string, string?> HostileLimits = new()
    {
        ["Scanning:ResponseTimeout"] = "00:00:02",
        ["Scanning:ConnectTimeout"] = "00:00:01",
        ["Scanning:MaxPageBytes"] = (256 * 1024).ToString(CultureInfo.InvariantCulture),
    };

    [Fact]
    public void A_connection_left_idle_is_closed_after_seconds_not_the_handlers_default_minute()
    {
        using var handler = WebFetcher.CreateHandler(new ScanningOptions());

        Assert.Equal(TimeSpan.FromSeconds(1), handler.PooledConnectionIdleTimeout);
    }

    [Fact]
    public async Task An_https_url_falls_back_to_http_when_the_tls_handshake_fails()
    {
        using var services = fixture.CreateServices();
        var fetcher = services.GetRequiredService<IWebFetcher>();

        var page = await fetcher.GetPageAsync(new Uri("https://basic.test/"), Ct);

        Assert.Equal(200, page.StatusCode);
        Assert.Equal(new Uri("http://basic.test/"), page.FinalUrl);
        Assert.Equal(new Uri("https://basic.test/"), page.RequestedUrl);
        Assert.Empty(page.RedirectChain);
        Assert.Contains("<title>Basic Test Site</title>", page.Html.ToString(), StringComparison.Ordinal);
        Assert.Equal(page.Html.Length, page.Bytes);
        Assert.Equal("text/html; charset=utf-8", page.ContentType);
    }

    [Fact]
    public async Task Redirects_are_followed_with_the_chain_and_final_url_recorded()
    {
        using var services = fixture.CreateServices();
        var fetcher = services.GetRequiredService<IWebFetcher>();

        var page = await fetcher.GetPageAsync(new Uri("https://redirect.test/"), Ct);

        Assert.Equal(200, page.StatusCode);
        Assert.Equal(new Uri("http://redirect.test/final/"), page.FinalUrl);
        Assert.Equal([new Uri("http://redirect.test/"), new Uri("http://redirect.test/step2")], page.RedirectChain);
        Assert.Contains("Redirect Destination", page.Html.ToString(), StringComparison.Ordinal);
        Assert.Equal("PHP/8.3", Assert.Single(page.Headers["x-powered-by"]));
    }

    [Fact]
    public async Task A_redirect_without_location_and_error_statuses_are_returned_not_thrown()
    {
        using var services = fixture.CreateServices();
        var fetcher = services.GetRequiredService<IWebFetcher>();

        var missing = await fetcher.GetPageAsync(new Uri("https://no-such-site.test/"), Ct);
        var unavailable = await fetcher.GetPageAsync(new Uri("https://down.status503.gen.test/"), Ct);

        Assert.Equal(404, missing.StatusCode);
        Assert.False(missing.IsSuccess);
        Assert.Equal(503, unavailable.StatusCode);
    }

    [Fact]
    public async Task A_momentary_503_is_asked_for_once_more_before_it_is_returned()
    {
        using var services = fixture.CreateServices();
        const string host = "asked-twice.status503.gen.test";
        var hits = fixture.Fleet.HitsFor(host);

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"http://{host}/"), Ct);

        Assert.Equal(503, page.StatusCode);
        Assert.Equal(hits + 2, fixture.Fleet.HitsFor(host));
    }

    [Fact]
    public async Task Requests_carry_the_configured_user_agent()
    {
        fixture.Fleet.Map("echo-agent.test", context => context.Response.WriteAsync(
            $"<html><body>{context.Request.Headers.UserAgent}|{context.Request.Headers.Accept}</body></html>", context.RequestAborted));
        using var services = fixture.CreateServices(new Dictionary<string, string?>
        {
            ["Scanning:UserAgent"] = "ScraperSky/9.9 (+https://scrapersky.example/bot)",
        });

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://echo-agent.test/"), Ct);

        Assert.Contains("ScraperSky/9.9 (+https://scrapersky.example/bot)|text/html, application/xhtml+xml, */*; q=0.8",
            page.Html.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("header-1252.html", "Café – naïve €")]
    [InlineData("latin1-label.html", "Prix: 5 €")]
    [InlineData("bom-utf8.html", "Grüße aus Köln")]
    [InlineData("bom-utf16.html", "Grüße aus Köln")]
    [InlineData("meta-1252.html", "Crème brûlée")]
    [InlineData("meta-http-equiv-sjis.html", "日本語のページ")]
    [InlineData("bogus-header.html", "Señor Müller")]
    [InlineData("header-beats-meta.html", "Zoë’s naïve café")]
    [InlineData("no-charset.html", "Ünïcödé by default")]
    public async Task Pages_are_decoded_with_the_charset_from_bom_header_or_meta(string file, string expected)
    {
        using var services = fixture.CreateServices();

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://charset.test/{file}"), Ct);

        Assert.Equal(200, page.StatusCode);
        Assert.Contains($"<title>{expected}</title>", page.Html.ToString(), StringComparison.Ordinal);
        Assert.False(page.Html.Span.StartsWith('\uFEFF'), "the byte-order mark is not part of the text");
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Compressed_responses_are_decompressed_and_measured_after_decompression(string encoding)
    {
        using var services = fixture.CreateServices();

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{encoding}.compressed.test/"), Ct);

        Assert.Equal(200, page.StatusCode);
        Assert.Equal(200, CountOf(page.Html.ToString(), CompressedSites.Marker));
        Assert.Equal(page.Html.Length, page.Bytes);
    }

    [Fact]
    public async Task The_body_cap_counts_decompressed_bytes()
    {
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:MaxPageBytes"] = "4096" });

        var error = await Assert.ThrowsAsync<ScanException>(() =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://gzip.compressed.test/"), Ct));

        Assert.False(error.IsTransient);
        Assert.Equal("The response from gzip.compressed.test is larger than the limit of 4096 bytes.", error.Message);
    }

    [Theory]
    [InlineData("https://endless.hostile.test/", false, "The response from endless.hostile.test is larger than the limit of 262144 bytes.")]
    [InlineData("https://gzip-bomb.hostile.test/", false, "The response from gzip-bomb.hostile.test is larger than the limit of 262144 bytes.")]
    [InlineData("https://drip.hostile.test/", true, "drip.hostile.test did not send a complete response within 2 s.")]
    [InlineData("https://slow-first-byte.hostile.test/", true, "slow-first-byte.hostile.test did not send a complete response within 2 s.")]
    [InlineData("https://stall.hostile.test/", true, "stall.hostile.test did not send a complete response within 2 s.")]
    [InlineData("https://hangup.hostile.test/", true, "hangup.hostile.test reset the connection.")]
    [InlineData("https://loop.hostile.test/a", false, "Redirect loop: http://loop.hostile.test/b redirects back to http://loop.hostile.test/a.")]
    [InlineData("https://chain.hostile.test/", false, "Too many redirects (more than 5) from https://chain.hostile.test/.")]
    [InlineData("https://to-loopback.hostile.test/", false, "Refused to connect to 127.0.0.1: loopback address")]
    [InlineData("https://to-metadata.hostile.test/", false, "Refused to connect to 169.254.169.254: link-local address (cloud metadata range)")]
    [InlineData("https://to-ipv6-loopback.hostile.test/", false, "Refused to connect to ::1: loopback address")]
    [InlineData("https://to-decimal-ip.hostile.test/", false, "Refused to connect to 127.0.0.1: loopback address")]
    [InlineData("https://to-octal-ip.hostile.test/", false, "Refused to connect to 127.0.0.1: loopback address")]
    [InlineData("https://to-hex-ip.hostile.test/", false, "Refused to connect to 127.0.0.1: loopback address")]
    [InlineData("https://to-ftp.hostile.test/", false, "Cannot fetch ftp://example.com/: the ftp scheme is not supported (http and https only).")]
    public async Task Hostile_hosts_end_in_a_scan_exception_and_the_fetcher_keeps_working(string url, bool transient, string message)
    {
        using var services = fixture.CreateServices(HostileLimits);
        var fetcher = services.GetRequiredService<IWebFetcher>();

        var error = await Assert.ThrowsAsync<ScanException>(() => fetcher.GetPageAsync(new Uri(url), Ct));

        Assert.Equal(message, error.Message);
        Assert.Equal(transient, error.IsTransient);
        var next = await fetcher.GetPageAsync(new Uri("https://basic.test/"), Ct);
        Assert.Equal(200, next.StatusCode);
    }

    [Theory]
    [InlineData("http://10.0.0.1/", "Refused to connect to 10.0.0.1: private (RFC 1918) address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "Refused to connect to 169.254.169.254: link-local address (cloud metadata range)")]
    [InlineData("http://[fd00::1]/", "Refused to connect to fd00::1: unique local (fc00::/7) address")]
    [InlineData("http://[::ffff:127.0.0.1]/", "Refused to connect to ::ffff:127.0.0.1: IPv4-mapped loopback address")]
    [InlineData("http://0x7f.1/", "Refused to connect to 127.0.0.1: loopback address")]
    public async Task Urls_naming_a_non_public_address_are_refused_without_connecting(string url, string message)
    {
        using var services = fixture.CreateServices();

        var error = await Assert.ThrowsAsync<ScanException>(() =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri(url), Ct));

        Assert.Equal(message, error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task The_fleet_itself_is_refused_when_named_by_its_address_instead_of_a_mapped_host()
    {
        using var services = fixture.CreateServices();
        var url = new Uri($"http://127.0.0.1:{fixture.Fleet.Port.ToString(CultureInfo.InvariantCulture)}/");

        var error = await Assert.ThrowsAsync<ScanException>(() => services.GetRequiredService<IWebFetcher>().GetPageAsync(url, Ct));

        Assert.Equal("Refused to connect to 127.0.0.1: loopback address", error.Message);
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_loopback_address_is_refused()
    {
        using var services = fixture.CreateServices();

        var error = await Assert.ThrowsAsync<ScanException>(() =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("http://localhost/"), Ct));

        Assert.StartsWith("Refused to connect to ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(": loopback address", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_fails_with_a_dns_reason()
    {
        using var services = fixture.CreateServices();

        var error = await Assert.ThrowsAsync<ScanException>(() =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://no-such-host.invalid/"), Ct));

        // Without a reachable resolver the answer is "try again" (transient) rather than "no such name" (permanent).
        Assert.Contains("DNS lookup", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-host.invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_page_over_the_cap_is_refused_as_too_large()
    {
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:MaxPageBytes"] = "100" });

        var error = await Assert.ThrowsAsync<ScanException>(() =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://basic.test/"), Ct));

        Assert.Equal("The response from basic.test is larger than the limit of 100 bytes.", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_site_that_sets_a_cookie_and_redirects_to_itself_is_not_a_loop()
    {
        fixture.Fleet.Map("cookie-gate.test", async context =>
        {
            if (context.Request.Cookies["gate"] != "passed")
            {
                context.Response.Cookies.Append("gate", "passed");
                context.Response.Redirect("/");
                return;
            }

            await context.Response.WriteAsync("<html><head><title>Behind the gate</title></head></html>", context.RequestAborted);
        });
        using var services = fixture.CreateServices();

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://cookie-gate.test/"), Ct);

        Assert.Equal(200, page.StatusCode);
        Assert.Contains("Behind the gate", page.Html.ToString(), StringComparison.Ordinal);
        Assert.Equal([new Uri("http://cookie-gate.test/")], page.RedirectChain);
    }

    [Fact]
    public async Task A_redirect_from_http_to_https_on_a_host_without_https_is_reported_as_a_loop()
    {
        fixture.Fleet.Map("upgrade-only.test", context =>
        {
            context.Response.Redirect($"https://upgrade-only.test{context.Request.Path}");
            return Task.CompletedTask;
        });
        using var services = fixture.CreateServices();

        var error = await Assert.ThrowsAsync<ScanException>(() =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://upgrade-only.test/"), Ct));

        Assert.Equal("Redirect loop: http://upgrade-only.test/ redirects back to https://upgrade-only.test/.", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_connection_that_is_never_accepted_ends_at_the_connect_timeout()
    {
        // A listener whose accept queue is full: Linux drops further SYNs, so a new connection neither succeeds nor fails.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(endpoint, Ct).AsTask();
            }

            using var services = fixture.CreateServices(new Dictionary<string, string?>
            {
                ["Scanning:HostMap:stalled.test"] = endpoint.ToString(),
                ["Scanning:ConnectTimeout"] = "00:00:00.300",
            });

            var error = await Assert.ThrowsAsync<ScanException>(() =>
                services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://shop.stalled.test/"), Ct));

            Assert.Equal("Connecting to shop.stalled.test timed out.", error.Message);
            Assert.True(error.IsTransient);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task A_closed_port_is_a_transient_connection_failure()
    {
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:HostMap:closed.test"] = "127.0.0.1:1" });

        var error = await Assert.ThrowsAsync<ScanException>(() =>
            services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://shop.closed.test/"), Ct));

        Assert.True(error.IsTransient);
        Assert.Equal("shop.closed.test refused the connection.", error.Message);
    }

    [Fact]
    public async Task An_opened_stream_reads_the_whole_body_within_its_cap()
    {
        using var services = fixture.CreateServices();

        await using var response = await services.GetRequiredService<IWebFetcher>()
            .OpenAsync(new Uri("https://br.compressed.test/"), 1024 * 1024, Ct);
        using var reader = new StreamReader(response.Body);
        var text = await reader.ReadToEndAsync(Ct);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(new Uri("http://br.compressed.test/"), response.FinalUrl);
        Assert.Equal(200, CountOf(text, CompressedSites.Marker));
    }

    [Fact]
    public async Task An_opened_stream_stops_a_gzip_bomb_at_its_cap()
    {
        using var services = fixture.CreateServices();

        await using var response = await services.GetRequiredService<IWebFetcher>()
            .OpenAsync(new Uri("https://gzip-bomb.hostile.test/"), 2 * 1024 * 1024, Ct);

        var error = await Assert.ThrowsAsync<ResponseTooLargeException>(() => response.Body.CopyToAsync(Stream.Null, Ct));
        Assert.Equal(2 * 1024 * 1024, error.Limit);
    }

    [Fact]
    public async Task An_opened_stream_that_drips_ends_at_the_response_deadline()
    {
        using var services = fixture.CreateServices(HostileLimits);

        await using var response = await services.GetRequiredService<IWebFetcher>()
            .OpenAsync(new Uri("https://drip.hostile.test/"), 1024 * 1024, Ct);

        await Assert.ThrowsAsync<ResponseTimeoutException>(() => response.Body.CopyToAsync(Stream.Null, Ct));
    }

    [Fact]
    public async Task A_synchronous_read_of_a_stalled_stream_ends_at_the_response_deadline()
    {
        using var services = fixture.CreateServices(HostileLimits);

        await using var response = await services.GetRequiredService<IWebFetcher>()
            .OpenAsync(new Uri("https://stall.hostile.test/"), 1024 * 1024, Ct);

        // Parsers such as XmlReader may read synchronously; the deadline must still end the read.
        Assert.Throws<ResponseTimeoutException>(() => response.Body.CopyTo(Stream.Null));
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
