using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScraperSky.Testing.Fleet;

/// The local test-site fleet: one Kestrel server on 127.0.0.1 whose virtual hosts are any name ending in `.test`.
/// A scanner reaches it through real sockets with `Scanning:HostMap:test` = <see cref="HostMapValue"/> (plain HTTP
/// only, so every https attempt fails its handshake and falls back), or over https too with <see cref="HttpsSettings"/>.
///
/// The TLS listener serves the same hosts and handlers (`context.Request.IsHttps` tells them apart) with a certificate
/// per host from a CA made at start (<see cref="CaCertificatePath"/>); <see cref="SetTls"/> makes a host's handshake
/// fail in one of the ways of <see cref="TlsMode"/>.
///
/// A request is answered by, in order: a handler registered with <see cref="Map"/> for its exact host or for a
/// `*.suffix` pattern; a generated site when the host ends in `.gen.test` (see <see cref="GeneratedSite"/>); the
/// fixture folder `Sites/&lt;host&gt;/` (`/` serves `index.html`); else 404. Every fleet also serves the misbehaving
/// hosts of <see cref="HostileSites"/>, the compressed pages of <see cref="CompressedSites"/>, the generated sitemap
/// hosts of <see cref="SitemapSites"/>, the scheme-dependent hosts of <see cref="SchemeSites"/> and the hostile
/// sites of the hardening review (<see cref="HardeningSites"/>). <see cref="SwitchableSite"/> serves a host whose
/// content a test switches between versions.
public sealed class TestSiteFleet : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FleetCertificates _certificates;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, RequestDelegate> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RequestDelegate> _suffix = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, TlsMode> _tls = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, TimeSpan> _tlsDelays = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Host, string Scheme), int> _hits = new();
    private readonly ConcurrentDictionary<string, int> _handshakes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _hostHeaders = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Host, string Path), int> _pathHits = new();
    private readonly ConcurrentDictionary<string, InFlight> _inFlight = new(StringComparer.OrdinalIgnoreCase);

    private TestSiteFleet(WebApplication app, FleetCertificates certificates, string sitesRoot)
    {
        _app = app;
        _certificates = certificates;
        SitesRoot = sitesRoot;
        CaCertificatePath = Path.Combine(Path.GetTempPath(), $"scrapersky-fleet-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(CaCertificatePath, certificates.AuthorityPem);
    }

    /// The plain HTTP port.
    public int Port { get; private set; }

    /// The TLS port: the same hosts over https.
    public int HttpsPort { get; private set; }

    /// The value for `Scanning:HostMap:test` that routes every connection to the plain HTTP port.
    public string HostMapValue => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// The value for `Scanning:HostMap:test` that routes https connections to the TLS port and the rest to plain HTTP.
    public string HttpsHostMapValue => $"{HostMapValue} https=127.0.0.1:{HttpsPort.ToString(CultureInfo.InvariantCulture)}";

    /// A PEM file holding the fleet's CA certificate, for `Scanning:ExtraRootCertificates`; deleted with the fleet.
    public string CaCertificatePath { get; }

    /// The fleet's CA certificate in PEM form.
    public string CaCertificatePem => _certificates.AuthorityPem;

    /// The scanner settings that reach the fleet over https as well as http, trusting its CA.
    public IReadOnlyDictionary<string, string?> HttpsSettings => new Dictionary<string, string?>
    {
        ["Scanning:HostMap:test"] = HttpsHostMapValue,
        ["Scanning:ExtraRootCertificates:0"] = CaCertificatePath,
    };

    public string SitesRoot { get; }

    /// Requests served per host over either scheme (after the handler ran), for tests that count fetches.
    public int HitsFor(string host) => HitsFor(host, Uri.UriSchemeHttp) + HitsFor(host, Uri.UriSchemeHttps);

    /// Requests served per host over one scheme (`http` or `https`).
    public int HitsFor(string host, string scheme) => _hits.TryGetValue((host.ToLowerInvariant(), scheme), out var n) ? n : 0;

    /// Requests served for one path of a host over either scheme (the query string aside).
    public int HitsOnPath(string host, string path) => _pathHits.TryGetValue((host.ToLowerInvariant(), path), out var n) ? n : 0;

    /// Requests whose Host header was exactly <paramref name="hostHeader"/> (`name` or `name:port`): the port a
    /// client meant shows there, although the fleet routes every connection to its own port.
    public int HitsForHostHeader(string hostHeader) => _hostHeaders.TryGetValue(hostHeader, out var n) ? n : 0;

    /// The most requests to <paramref name="host"/> the fleet was answering at once, from their arrival to their end.
    public int MostInFlightFor(string host) => _inFlight.TryGetValue(host, out var counter) ? counter.Most : 0;

    /// TLS handshakes begun for a host (its SNI name), whether or not they succeeded.
    public int HandshakesFor(string host) => _handshakes.TryGetValue(host, out var n) ? n : 0;

    public static async Task<TestSiteFleet> StartAsync(int port = 0, string? sitesRoot = null, int httpsPort = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The fleet answers any *.test name; the server's appsettings.json, copied beside the tests, allows only
        // loopback names, which would turn every virtual host away.
        builder.Configuration["AllowedHosts"] = "*";
        var certificates = new FleetCertificates();
        TestSiteFleet? fleet = null;
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Listen(IPAddress.Loopback, httpsPort, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = context => fleet!.HandshakeAsync(context),
            }));
            k.Limits.MaxConcurrentConnections = null;
            k.Limits.MinResponseDataRate = null;
        });
        var app = builder.Build();
        fleet = new TestSiteFleet(app, certificates, sitesRoot ?? Path.Combine(AppContext.BaseDirectory, "Sites"));
        app.Run(fleet.HandleAsync);
        HostileSites.MapAll(fleet);
        CompressedSites.MapAll(fleet);
        SitemapSites.MapAll(fleet);
        SchemeSites.MapAll(fleet);
        HardeningSites.MapAll(fleet);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(address => new Uri(address)).ToList();
        fleet.Port = addresses.First(a => a.Scheme == Uri.UriSchemeHttp).Port;
        fleet.HttpsPort = addresses.First(a => a.Scheme == Uri.UriSchemeHttps).Port;
        return fleet;
    }

    /// How the TLS listener answers a handshake for <paramref name="host"/> (every host is <see cref="TlsMode.Trusted"/>
    /// unless set otherwise).
    public void SetTls(string host, TlsMode mode) => _tls[host] = mode;

    /// Makes every TLS handshake for <paramref name="host"/> wait <paramref name="delay"/> before it is answered as its
    /// <see cref="TlsMode"/> says (counted in <see cref="HandshakesFor"/> on arrival).
    public void SetTlsDelay(string host, TimeSpan delay) => _tlsDelays[host] = delay;

    /// Makes <paramref name="host"/> serve a certificate whose intermediate is left out of the handshake and whose AIA
    /// "CA Issuers" field names <paramref name="caIssuersUrl"/> (<see cref="TlsMode.MissingIntermediate"/>).
    public void SetCaIssuers(string host, Uri caIssuersUrl)
    {
        _certificates.SetCaIssuers(host, caIssuersUrl);
        _tls[host] = TlsMode.MissingIntermediate;
    }

    /// Registers a handler for an exact host (`shop.test`) or every host under a suffix (`*.slow.test`).
    public void Map(string hostPattern, RequestDelegate handler)
    {
        if (hostPattern.StartsWith("*.", StringComparison.Ordinal))
        {
            _suffix[hostPattern[1..]] = handler;
        }
        else
        {
            _exact[hostPattern] = handler;
        }
    }

    private async ValueTask<SslServerAuthenticationOptions> HandshakeAsync(TlsHandshakeCallbackContext context)
    {
        var host = (context.ClientHelloInfo.ServerName ?? "").TrimEnd('.').ToLowerInvariant();
        _handshakes.AddOrUpdate(host, 1, (_, n) => n + 1);
        if (_tlsDelays.TryGetValue(host, out var delay))
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping.Token);
            await Task.Delay(delay, both.Token);
        }

        var mode = _tls.TryGetValue(host, out var set) ? set : TlsMode.Trusted;
        switch (mode)
        {
            case TlsMode.Refused:
                // Kestrel drops the connection when the callback throws: the client sees the handshake cut off.
                throw new AuthenticationException($"{host} has no https.");
            case TlsMode.Hang:
                using (var both = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping.Token))
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, both.Token);
                }

                throw new AuthenticationException($"{host} never answers a handshake.");
            default:
                if (host.Length == 0)
                {
                    throw new AuthenticationException("The fleet serves https by host name only (no SNI was sent).");
                }

                return new SslServerAuthenticationOptions { ServerCertificateContext = _certificates.For(host, mode) };
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var host = context.Request.Host.Host.TrimEnd('.').ToLowerInvariant();
        // Taken now: serving a fixture may rewrite the path (a folder to its index file).
        var path = context.Request.Path.Value is { Length: > 0 } asked ? asked : "/";
        var inFlight = _inFlight.GetOrAdd(host, _ => new InFlight());
        inFlight.Enter();
        try
        {
            if (_exact.TryGetValue(host, out var handler) || TryFindSuffix(host, out handler))
            {
                await handler(context);
            }
            else if (host.EndsWith(".gen.test", StringComparison.Ordinal))
            {
                await GeneratedSite.ServeAsync(context, host);
            }
            else
            {
                await ServeFixtureAsync(context, host);
            }
        }
        finally
        {
            inFlight.Leave();
            _hits.AddOrUpdate((host, context.Request.Scheme), 1, (_, n) => n + 1);
            _hostHeaders.AddOrUpdate(context.Request.Host.Value ?? "", 1, (_, n) => n + 1);
            _pathHits.AddOrUpdate((host, path), 1, (_, n) => n + 1);
        }
    }

    private sealed class InFlight
    {
        private int _now;
        private int _most;

        public int Most => Volatile.Read(ref _most);

        public void Enter()
        {
            var now = Interlocked.Increment(ref _now);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }
        }

        public void Leave() => Interlocked.Decrement(ref _now);
    }

    private bool TryFindSuffix(string host, out RequestDelegate handler)
    {
        foreach (var (suffix, candidate) in _suffix)
        {
            if (host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                handler = candidate;
                return true;
            }
        }

        handler = null!;
        return false;
    }

    /// Serves the request from the fixture folder of its host, for handlers that answer only some requests themselves.
    public Task ServeFixtureAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ServeFixtureAsync(context, context.Request.Host.Host.TrimEnd('.').ToLowerInvariant());
    }

    /// Serves the request from a fixture folder under <see cref="SitesRoot"/> (a host's, or a version of it).
    public async Task ServeFixtureAsync(HttpContext context, string host)
    {
        ArgumentNullException.ThrowIfNull(context);
        var siteRoot = Path.GetFullPath(Path.Combine(SitesRoot, host));
        var relative = Uri.UnescapeDataString(context.Request.Path.Value ?? "/").TrimStart('/');
        if (relative.Length == 0 || relative.EndsWith('/'))
        {
            relative += "index.html";
        }

        var file = Path.GetFullPath(Path.Combine(siteRoot, relative));
        if (!file.StartsWith(siteRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("Not found", context.RequestAborted);
            return;
        }

        // A sidecar `<file>.headers` holds raw `Name: value` lines (Content-Type, Status, Location ...).
        var headersFile = file + ".headers";
        var contentType = ContentTypeFor(file);
        if (File.Exists(headersFile))
        {
            foreach (var line in await File.ReadAllLinesAsync(headersFile, context.RequestAborted))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.StatusCode = int.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    contentType = value;
                }
                else
                {
                    context.Response.Headers.Append(name, value);
                }
            }
        }

        context.Response.ContentType = contentType;
        await context.Response.SendFileAsync(file, context.RequestAborted);
    }

    private static string ContentTypeFor(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".html" or ".htm" => "text/html; charset=utf-8",
        ".xml" => "application/xml",
        ".txt" => "text/plain; charset=utf-8",
        ".gz" => "application/gzip",
        ".json" => "application/json",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        _ => "application/octet-stream",
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
        _certificates.Dispose();
        File.Delete(CaCertificatePath);
    }
}

/// Sites made up from the host name, for load and restart runs: `&lt;name&gt;[.delay&lt;ms&gt;][.status&lt;code&gt;].gen.test`.
/// `shop-17.delay500.gen.test` answers after 500 ms with a page titled "Shop 17"; `x.status503.gen.test` always
/// answers 503. Any path other than `/` is 404.
public static partial class GeneratedSite
{
    public static async Task ServeAsync(HttpContext context, string host)
    {
        var delay = DelayLabel().Match(host);
        if (delay.Success)
        {
            await Task.Delay(int.Parse(delay.Groups[1].Value, CultureInfo.InvariantCulture), context.RequestAborted);
        }

        var status = StatusLabel().Match(host);
        if (status.Success)
        {
            context.Response.StatusCode = int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture);
            await context.Response.WriteAsync("status page", context.RequestAborted);
            return;
        }

        if (context.Request.Path != "/")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Html(host), Encoding.UTF8, context.RequestAborted);
    }

    public static string TitleFor(string host)
    {
        var name = host.Split('.')[0].Replace('-', ' ');
        return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name);
    }

    public static string Html(string host) => $"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>{TitleFor(host)}</title>
          <meta name="description" content="Generated test site {host}">
        </head>
        <body>
          <header><img class="logo" src="/logo.png" alt="{TitleFor(host)} logo"></header>
          <main><h1>{TitleFor(host)}</h1><p>Write to us at hello@{host}.</p></main>
        </body>
        </html>
        """;

    [GeneratedRegex(@"(?:^|\.)delay(\d{1,6})\.")]
    private static partial Regex DelayLabel();

    [GeneratedRegex(@"(?:^|\.)status(\d{3})\.")]
    private static partial Regex StatusLabel();
}
