using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ScraperSky.Testing.Fleet;

/// `gzip.compressed.test`, `deflate.compressed.test` and `br.compressed.test` serve the same page with that
/// Content-Encoding, so tests see transport decompression over real HTTP. The page's text is <see cref="Marker"/>.
public static class CompressedSites
{
    public const string Marker = "Compressed page body: the quick brown fox jumps over the lazy dog.";

    public static void MapAll(TestSiteFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        fleet.Map("*.compressed.test", ServeAsync);
    }

    private static async Task ServeAsync(HttpContext context)
    {
        var encoding = context.Request.Host.Host.Split('.')[0].ToLowerInvariant();
        var html = Encoding.UTF8.GetBytes(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{encoding}</title></head>" +
            $"<body>{string.Concat(Enumerable.Repeat($"<p>{Marker}</p>", 200))}</body></html>");
        using var output = new MemoryStream();
        await using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => throw new InvalidOperationException($"Unknown encoding host {context.Request.Host.Host}"),
        })
        {
            await compressor.WriteAsync(html, context.RequestAborted);
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentEncoding = encoding;
        await context.Response.Body.WriteAsync(output.ToArray(), context.RequestAborted);
    }
}
