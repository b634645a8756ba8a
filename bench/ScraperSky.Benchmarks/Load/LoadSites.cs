using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using Microsoft.AspNetCore.Http;
using ScraperSky.Benchmarks.Extraction;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Benchmarks.Load;

/// The sites of the load run on the test-site fleet: every `site<n>.test` has a homepage and a contact page
/// (`/contact/`, the one contact link of the homepage) of 150–300 KB (the extraction corpus, 32 distinct pages shared round-robin), a robots.txt naming its sitemap, and a
/// 25-URL sitemap; anything else is 404. Every answer waits <c>latency</c> first, as a distant server would, and
/// every request is counted, so requests per domain come from the fleet, not from the server's own account.
internal sealed class LoadSites
{
    private const int DistinctPages = 32;
    private readonly byte[][] _pages;
    private readonly TimeSpan _latency;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _paths = new(StringComparer.Ordinal);
    private long _requests;

    public LoadSites(TimeSpan latency)
    {
        _latency = latency;
        _pages = [.. ExtractionCorpus.Generate(DistinctPages).Select(p => Encoding.UTF8.GetBytes(WithOneContactLink(p.Html.ToString())))];
    }

    public long Requests => Interlocked.Read(ref _requests);

    /// The paths asked for most, digits folded to `#`, with their counts: what a domain's requests were.
    public IEnumerable<(string Path, int Count)> TopPaths(int count) =>
        _paths.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value));

    public double AveragePageKiB => _pages.Average(p => p.Length) / 1024.0;

    public static string Host(int n) => $"site{n.ToString(CultureInfo.InvariantCulture)}.test";

    public void MapOn(TestSiteFleet fleet) => fleet.Map("*.test", ServeAsync);

    /// Asks the fleet for every path a scan asks for, a few hundred times in all, and returns once this process has
    /// stopped compiling (at most after 15 s); its counts start again from zero. The fleet stands for sites on other
    /// machines, which are warm: a fresh fleet's JIT (tier-1 recompilation of its request path, the bench's
    /// "Tiered Compilation" thread) took ~10% of the machine through a 1,000-domain batch's first seconds, beside the
    /// server's own. Done before the server starts, which stays as fresh as a server just deployed.
    public async Task WarmUpAsync(TestSiteFleet fleet, CancellationToken cancellationToken)
    {
        string[] paths = ["/", "/robots.txt", "/sitemap.xml", "/contact/", "/impressum", "/kontakt/", "/feed/"];
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri($"http://{fleet.HostMapValue}/"),
        };
        await Parallel.ForAsync(0, 6 * 32 * paths.Length, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, paths[i % paths.Length]);
                request.Headers.Host = Host(1 + i / paths.Length % 32);
                using var response = await client.SendAsync(request, ct);
                await response.Content.LoadIntoBufferAsync(ct);
            });
        var quietSince = Stopwatch.StartNew();
        var waited = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompilationTime();
        while (quietSince.Elapsed < TimeSpan.FromSeconds(1) && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100, cancellationToken);
            var now = JitInfo.GetCompilationTime();
            if (now != compiled)
            {
                compiled = now;
                quietSince.Restart();
            }
        }

        ResetCounts();
    }

    /// The requests and paths counted from here on only (after a warm-up).
    public void ResetCounts()
    {
        Interlocked.Exchange(ref _requests, 0);
        _paths.Clear();
    }

    private async Task ServeAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var host = context.Request.Host.Host;
        var n = int.TryParse(host.AsSpan(4, Math.Max(0, host.IndexOf('.', StringComparison.Ordinal) - 4)), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : 0;
        if (_latency > TimeSpan.Zero)
        {
            await Task.Delay(_latency, context.RequestAborted);
        }

        var path = context.Request.Path.Value ?? "/";
        _paths.AddOrUpdate(string.Concat(path.Select(c => char.IsAsciiDigit(c) ? '#' : c)), 1, (_, n) => n + 1);
        var response = context.Response;
        switch (path)
        {
            case "/":
                await WriteAsync(response, "text/html; charset=utf-8", _pages[n % DistinctPages], context.RequestAborted);
                break;
            case "/robots.txt":
                await WriteAsync(response, "text/plain; charset=utf-8",
                    Encoding.UTF8.GetBytes($"User-agent: *\nDisallow: /wp-admin/\n\nSitemap: http://{host}/sitemap.xml\n"), context.RequestAborted);
                break;
            case "/sitemap.xml":
                await WriteAsync(response, "application/xml", Sitemap(host), context.RequestAborted);
                break;
            default:
                if (path == "/contact/")
                {
                    await WriteAsync(response, "text/html; charset=utf-8", _pages[(n + 7) % DistinctPages], context.RequestAborted);
                }
                else
                {
                    response.StatusCode = StatusCodes.Status404NotFound;
                }

                break;
        }
    }

    /// The corpus pages link to many pages whose words the contact-page selector likes; a typical small business site
    /// has one contact page, so those words are changed and one `/contact/` link is put in the navigation.
    private static string WithOneContactLink(string html)
    {
        foreach (var (word, other) in new[] { ("contact", "context"), ("support", "suppose"), ("team", "tram"), ("about", "abbot") })
        {
            html = html.Replace(word, other, StringComparison.OrdinalIgnoreCase);
        }

        return html.Replace("<nav><ul>", "<nav><ul><li><a href=\"/contact/\">Contact</a></li>", StringComparison.Ordinal);
    }

    private static async Task WriteAsync(HttpResponse response, string contentType, byte[] body, CancellationToken cancellationToken)
    {
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }

    private static byte[] Sitemap(string host)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (var i = 0; i < 25; i++)
        {
            xml.Append("<url><loc>http://").Append(host).Append("/page-").Append(i).Append("/</loc><lastmod>2025-0")
                .Append(1 + (i % 9)).Append("-1").Append(i % 10).Append("</lastmod></url>\n");
        }

        return Encoding.UTF8.GetBytes(xml.Append("</urlset>\n").ToString());
    }
}
