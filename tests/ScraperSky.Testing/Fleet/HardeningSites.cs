using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ScraperSky.Testing.Fleet;

/// Hostile sites from the hardening review (issue 11), registered in every fleet:
///
///   deep-xml.hostile.test       /sitemap.xml: ~6 KB of gzip holding one URL, then `&lt;a&gt;` opened 2,000,000 times and
///                               never closed (an XML reader's error message lists every open element)
///   quadratic.hostile.test      homepage: `&lt;q&gt;&lt;/zz&gt;` repeated 80,000 times (640 KB)
///   slow-index.hostile.test     robots.txt names /index.xml, an index of 10,000 children that each send their
///                               start and then nothing for 30 s
///   offsite-scan.test           sitemaps named on other hosts and ports: robots.txt (port 8081 and the allowed host
///                               elsewhere-robots.test), the homepage's `&lt;link rel="sitemap"&gt;` (elsewhere-link.test,
///                               port 8082), and /index.xml (elsewhere-child.test, port 8443, a redirect to
///                               elsewhere-redirect.test, and an allowed www. child); every other host answers a tiny
///                               urlset
///   contact-port.test           homepage linking its contact page on port 8081 and an about page on its own port
///   huge-result.hostile.test    homepage with a 200 KB title, a 200 KB description and 20,000 distinct addresses
///   *.polite-scan.test          answers after 300 ms and counts the requests in flight at once (see
///                               <see cref="PoliteMaxInFlight"/>)
///
/// The fleet routes every `.test` connection to its own port, whatever port a URL names; the port a client asked
/// for shows in the Host header (<see cref="TestSiteFleet.HitsForHostHeader"/>).
public static class HardeningSites
{
    public const int DeepXmlOpenElements = 2_000_000;
    public const int QuadraticRepeats = 80_000;
    public const int SlowIndexChildren = 10_000;
    public const int HugeResultEmails = 20_000;

    private static readonly Lazy<byte[]> DeepXml = new(CreateDeepXml);
    private static int s_politeInFlight;
    private static int s_politeMax;

    /// The most requests the `*.polite-scan.test` hosts had in flight at once since <see cref="ResetPolite"/>.
    public static int PoliteMaxInFlight => Volatile.Read(ref s_politeMax);

    public static void ResetPolite() => Interlocked.Exchange(ref s_politeMax, 0);

    public static string QuadraticPage() =>
        "<!doctype html><html><head><title>Quadratic</title></head><body>"
        + new StringBuilder(QuadraticRepeats * 8).Insert(0, "<q></zz>", QuadraticRepeats) + "</body></html>";

    public static void MapAll(TestSiteFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        fleet.Map("deep-xml.hostile.test", DeepXmlAsync);
        fleet.Map("quadratic.hostile.test", context => HtmlAsync(context, QuadraticPage()));
        fleet.Map("slow-index.hostile.test", SlowIndexAsync);
        fleet.Map("offsite-scan.test", OffsiteAsync);
        fleet.Map("www.offsite-scan.test", TinyUrlSetAsync);
        fleet.Map("*.elsewhere-robots.test", TinyUrlSetAsync);
        fleet.Map("elsewhere-robots.test", TinyUrlSetAsync);
        fleet.Map("elsewhere-link.test", TinyUrlSetAsync);
        fleet.Map("elsewhere-child.test", TinyUrlSetAsync);
        fleet.Map("elsewhere-redirect.test", TinyUrlSetAsync);
        fleet.Map("contact-port.test", ContactPortAsync);
        fleet.Map("huge-result.hostile.test", HugeResultAsync);
        fleet.Map("*.polite-scan.test", PoliteAsync);
    }

    private static Task HtmlAsync(HttpContext context, string html)
    {
        if (context.Request.Path != "/")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static async Task DeepXmlAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/sitemap.xml":
                context.Response.ContentType = "application/xml";
                await context.Response.Body.WriteAsync(DeepXml.Value, context.RequestAborted);
                break;
            case "/":
                await HtmlAsync(context, "<!doctype html><html><head><title>Deep XML</title></head><body><p>Hi.</p></body></html>");
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    private static byte[] CreateDeepXml()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://deep-xml.hostile.test/page</loc></url>"u8);
            var chunk = Encoding.ASCII.GetBytes(new StringBuilder(3 * 10_000).Insert(0, "<a>", 10_000).ToString());
            for (var i = 0; i < DeepXmlOpenElements / 10_000; i++)
            {
                gzip.Write(chunk);
            }
        }

        return output.ToArray();
    }

    private static async Task SlowIndexAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        context.Response.ContentType = "application/xml";
        if (path == "/robots.txt")
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("User-agent: *\nAllow: /\nSitemap: http://slow-index.hostile.test/index.xml\n", context.RequestAborted);
        }
        else if (path == "/index.xml")
        {
            var index = new StringBuilder("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for (var i = 0; i < SlowIndexChildren; i++)
            {
                index.Append(CultureInfo.InvariantCulture, $"<sitemap><loc>http://slow-index.hostile.test/child-{i}.xml</loc></sitemap>\n");
            }

            await context.Response.WriteAsync(index.Append("</sitemapindex>\n").ToString(), context.RequestAborted);
        }
        else if (path.StartsWith("/child-", StringComparison.Ordinal))
        {
            await context.Response.WriteAsync("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>http://slow-index.hostile.test/a</loc></url>", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            await context.Response.WriteAsync("</urlset>", context.RequestAborted);
        }
        else if (path == "/")
        {
            await HtmlAsync(context, "<!doctype html><html><head><title>Slow Index</title></head><body><p>Hi.</p></body></html>");
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private static async Task OffsiteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        switch (path)
        {
            case "/robots.txt":
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("""
                    User-agent: *
                    Allow: /
                    Sitemap: http://offsite-scan.test/index.xml
                    Sitemap: http://offsite-scan.test:8081/robots-port.xml
                    Sitemap: http://elsewhere-robots.test/named.xml
                    """, context.RequestAborted);
                break;
            case "/":
                await HtmlAsync(context, """
                    <!doctype html><html><head><title>Offsite</title>
                    <link rel="sitemap" href="http://elsewhere-link.test/sitemap.xml">
                    <link rel="sitemap" href="http://offsite-scan.test:8082/link-port.xml">
                    </head><body><p>Hi.</p></body></html>
                    """);
                break;
            case "/index.xml":
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync("""
                    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                    <sitemap><loc>http://elsewhere-child.test/child.xml</loc></sitemap>
                    <sitemap><loc>https://offsite-scan.test:8443/child-port.xml</loc></sitemap>
                    <sitemap><loc>http://offsite-scan.test/redirect-out.xml</loc></sitemap>
                    <sitemap><loc>http://www.offsite-scan.test/allowed-child.xml</loc></sitemap>
                    </sitemapindex>
                    """, context.RequestAborted);
                break;
            case "/redirect-out.xml":
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = "http://elsewhere-redirect.test/out.xml";
                break;
            default:
                await TinyUrlSetAsync(context);
                break;
        }
    }

    private static Task TinyUrlSetAsync(HttpContext context)
    {
        if (context.Request.Path == "/robots.txt")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/xml";
        var host = context.Request.Host.Host;
        return context.Response.WriteAsync(
            $"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>http://{host}{context.Request.Path}/page</loc></url></urlset>",
            context.RequestAborted);
    }

    private static Task ContactPortAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Request.Path.Value switch
        {
            "/" => context.Response.WriteAsync("""
                <!doctype html><html lang="en"><head><title>Contact Port</title></head><body>
                <a href="http://contact-port.test:8081/contact">Contact us</a>
                <a href="/about-us">About us</a>
                </body></html>
                """, context.RequestAborted),
            "/contact" => context.Response.WriteAsync("<html><body><p>Write to other-port@contact-port.test</p></body></html>", context.RequestAborted),
            "/about-us" => context.Response.WriteAsync("<html><body><p>Write to about@contact-port.test</p></body></html>", context.RequestAborted),
            _ => NotFound(context),
        };
    }

    private static Task HugeResultAsync(HttpContext context)
    {
        var page = new StringBuilder("<!doctype html><html><head><title>Huge Result ").Append('x', 200_000)
            .Append("</title><meta name=\"description\" content=\"").Append('y', 200_000).Append("\"></head><body>");
        for (var i = 0; i < HugeResultEmails; i++)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p>person-{i}@huge-result.hostile.test</p>");
        }

        return HtmlAsync(context, page.Append("</body></html>").ToString());
    }

    private static async Task PoliteAsync(HttpContext context)
    {
        var now = Interlocked.Increment(ref s_politeInFlight);
        try
        {
            int max;
            while (now > (max = Volatile.Read(ref s_politeMax)) && Interlocked.CompareExchange(ref s_politeMax, now, max) != max)
            {
            }

            await Task.Delay(300, context.RequestAborted);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<html><head><title>Polite</title></head><body></body></html>", context.RequestAborted);
        }
        finally
        {
            Interlocked.Decrement(ref s_politeInFlight);
        }
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
