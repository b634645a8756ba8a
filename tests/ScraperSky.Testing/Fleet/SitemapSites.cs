using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ScraperSky.Testing.Fleet;

/// Sitemap hosts too large or too dynamic for fixture files, registered in every fleet:
///
///   u&lt;N&gt;.sm-gen.test             /sitemap.xml is a urlset of N URLs (~210 bytes each, written as it is sent)
///   f&lt;F&gt;-u&lt;N&gt;.sm-gen.test        /sitemap_index.xml lists F files /part-&lt;i&gt;.xml of N URLs each
///   sm-bomb.test                 /sitemap.xml.gz: 64 KiB of gzip that expands to 96 MiB; /nested.xml: a gzip file
///                                sent with Content-Encoding: gzip on top (gzip inside gzip)
///   sm-slow.test                 /fast.xml answers at once; /slow.xml sends one URL, then nothing for a minute
public static partial class SitemapSites
{
    public const int BombExpandedMiB = 96;

    private static readonly Lazy<byte[]> Bomb = new(CreateBomb);

    public static void MapAll(TestSiteFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        fleet.Map("*.sm-gen.test", ServeGeneratedAsync);
        fleet.Map("sm-bomb.test", ServeBombAsync);
        fleet.Map("sm-slow.test", ServeSlowAsync);
    }

    /// The URL at position <paramref name="index"/> of part <paramref name="part"/> of a generated host.
    public static string GeneratedUrl(string host, int part, int index) =>
        $"https://{host}/products/category-{part.ToString(CultureInfo.InvariantCulture)}/item-{index.ToString(CultureInfo.InvariantCulture)}-a-reasonably-long-product-slug-for-realism";

    /// A urlset of <paramref name="count"/> generated URLs, written to <paramref name="output"/> as it is produced.
    public static async Task WriteUrlSetAsync(Stream output, string host, int part, int count, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync("<url><loc>");
            await writer.WriteAsync(GeneratedUrl(host, part, i));
            await writer.WriteAsync("</loc><lastmod>2025-01-");
            await writer.WriteAsync((1 + (i % 28)).ToString("00", CultureInfo.InvariantCulture));
            await writer.WriteAsync("T08:30:00+00:00</lastmod><changefreq>weekly</changefreq><priority>0.5</priority></url>\n");
        }

        await writer.WriteAsync("</urlset>\n");
    }

    private static async Task ServeGeneratedAsync(HttpContext context)
    {
        var host = context.Request.Host.Host.ToLowerInvariant();
        var match = GeneratedHost().Match(host);
        var path = context.Request.Path.Value ?? "/";
        if (!match.Success)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var urls = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/xml";
        if (!match.Groups[1].Success)
        {
            if (path != "/sitemap.xml")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await WriteUrlSetAsync(context.Response.Body, host, 0, urls, context.RequestAborted);
            return;
        }

        var files = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        if (path == "/sitemap_index.xml")
        {
            var index = new StringBuilder("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for (var i = 1; i <= files; i++)
            {
                index.Append(CultureInfo.InvariantCulture, $"<sitemap><loc>https://{host}/part-{i}.xml</loc></sitemap>\n");
            }

            await context.Response.WriteAsync(index.Append("</sitemapindex>\n").ToString(), context.RequestAborted);
            return;
        }

        var part = PartPath().Match(path);
        if (part.Success && int.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture) is var n && n >= 1 && n <= files)
        {
            await WriteUrlSetAsync(context.Response.Body, host, n, urls, context.RequestAborted);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private static async Task ServeBombAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/robots.txt":
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(
                    "Sitemap: https://sm-bomb.test/sitemap.xml.gz\nSitemap: https://sm-bomb.test/nested.xml\n", context.RequestAborted);
                break;
            case "/sitemap.xml.gz":
                context.Response.ContentType = "application/gzip";
                await context.Response.Body.WriteAsync(Bomb.Value, context.RequestAborted);
                break;
            case "/nested.xml":
                var inner = Gzip("<urlset><url><loc>https://sm-bomb.test/nested-page</loc></url></urlset>"u8.ToArray());
                context.Response.ContentType = "application/xml";
                context.Response.Headers.ContentEncoding = "gzip";
                await context.Response.Body.WriteAsync(Gzip(inner), context.RequestAborted);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    private static async Task ServeSlowAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/robots.txt":
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(
                    "Sitemap: https://sm-slow.test/slow.xml\nSitemap: https://sm-slow.test/fast.xml\n", context.RequestAborted);
                break;
            case "/fast.xml":
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync(
                    "<urlset><url><loc>https://sm-slow.test/quick</loc></url></urlset>", context.RequestAborted);
                break;
            case "/slow.xml":
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync(
                    "<urlset><url><loc>https://sm-slow.test/first</loc></url>\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    private static byte[] CreateBomb()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write("<?xml version=\"1.0\"?><urlset><url><loc>https://sm-bomb.test/before-the-padding</loc></url>"u8);
            var spaces = new byte[1024 * 1024];
            spaces.AsSpan().Fill((byte)' ');
            for (var i = 0; i < BombExpandedMiB; i++)
            {
                gzip.Write(spaces);
            }

            gzip.Write("<url><loc>https://sm-bomb.test/after-the-padding</loc></url></urlset>"u8);
        }

        return output.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    [GeneratedRegex(@"^(?:f(\d{1,4})-)?u(\d{1,7})\.sm-gen\.test$")]
    private static partial Regex GeneratedHost();

    [GeneratedRegex(@"^/part-(\d{1,4})\.xml$")]
    private static partial Regex PartPath();
}
