using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ScraperSky.Testing.Fleet;

/// The local test-site fleet: one Kestrel server on 127.0.0.1 whose virtual hosts are any name ending in `.test`.
/// A scanner reaches it through real sockets with `Scanning:HostMap:test` = <see cref="HostMapValue"/>.
///
/// A request is answered by, in order: a handler registered with <see cref="Map"/> for its exact host or for a
/// `*.suffix` pattern; a generated site when the host ends in `.gen.test` (see <see cref="GeneratedSite"/>); the
/// fixture folder `Sites/&lt;host&gt;/` (`/` serves `index.html`); else 404. Every fleet also serves the misbehaving
/// hosts of <see cref="HostileSites"/> and the compressed pages of <see cref="CompressedSites"/>.
public sealed class TestSiteFleet : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RequestDelegate> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RequestDelegate> _suffix = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.OrdinalIgnoreCase);

    private TestSiteFleet(WebApplication app, string sitesRoot)
    {
        _app = app;
        SitesRoot = sitesRoot;
    }

    public int Port { get; private set; }

    /// The value for `Scanning:HostMap:test`.
    public string HostMapValue => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string SitesRoot { get; }

    /// Requests served per host (after the handler ran), for tests that count fetches.
    public int HitsFor(string host) => _hits.TryGetValue(host, out var n) ? n : 0;

    public static async Task<TestSiteFleet> StartAsync(int port = 0, string? sitesRoot = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxConcurrentConnections = null;
            k.Limits.MinResponseDataRate = null;
        });
        var app = builder.Build();
        var fleet = new TestSiteFleet(app, sitesRoot ?? Path.Combine(AppContext.BaseDirectory, "Sites"));
        app.Run(fleet.HandleAsync);
        HostileSites.MapAll(fleet);
        CompressedSites.MapAll(fleet);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        fleet.Port = new Uri(address).Port;
        return fleet;
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

    private async Task HandleAsync(HttpContext context)
    {
        var host = context.Request.Host.Host.TrimEnd('.').ToLowerInvariant();
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
            _hits.AddOrUpdate(host, 1, (_, n) => n + 1);
        }
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

    private async Task ServeFixtureAsync(HttpContext context, string host)
    {
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
        await _app.StopAsync();
        await _app.DisposeAsync();
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
