using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace ScraperSky.Testing.Fleet;

/// Hosts that misbehave the way real websites do, registered in every fleet:
///
///   endless.hostile.test          200, a body that never ends (until the client gives up)
///   drip.hostile.test             200, one byte every 100 ms, forever
///   slow-first-byte.hostile.test  accepts the request and sends nothing for 10 minutes
///   stall.hostile.test            sends headers and the start of a page, then nothing for 10 minutes
///   hangup.hostile.test           aborts the connection (TCP reset) without answering
///   loop.hostile.test             /a → /b → /a ... (redirect loop)
///   chain.hostile.test            /hop/1 → /hop/2 → ... without end (too many redirects)
///   gzip-bomb.hostile.test        Content-Encoding: gzip, ~1 MiB on the wire, 1.1 GiB decompressed
///   to-loopback.hostile.test      302 → http://127.0.0.1/
///   to-metadata.hostile.test      302 → http://169.254.169.254/latest/meta-data/
///   to-ipv6-loopback.hostile.test 302 → http://[::1]/
///   to-decimal-ip.hostile.test    302 → http://2130706433/ (127.0.0.1 as one number)
///   to-octal-ip.hostile.test      302 → http://0177.0.0.1/
///   to-hex-ip.hostile.test        302 → http://0x7f.1/
///   to-ftp.hostile.test           302 → ftp://example.com/ (unsupported scheme)
public static class HostileSites
{
    private const int BombMembers = 1100;
    private const int BombMemberBytes = 1024 * 1024;

    private static readonly Lazy<byte[]> BombMember = new(CreateBombMember);

    /// How many bytes the gzip bomb decompresses to.
    public static long GzipBombDecompressedBytes => (long)BombMembers * BombMemberBytes;

    public static void MapAll(TestSiteFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        fleet.Map("endless.hostile.test", EndlessAsync);
        fleet.Map("drip.hostile.test", DripAsync);
        fleet.Map("slow-first-byte.hostile.test", SlowFirstByteAsync);
        fleet.Map("stall.hostile.test", StallAsync);
        fleet.Map("hangup.hostile.test", HangUp);
        fleet.Map("loop.hostile.test", LoopAsync);
        fleet.Map("chain.hostile.test", ChainAsync);
        fleet.Map("gzip-bomb.hostile.test", GzipBombAsync);
        fleet.Map("to-loopback.hostile.test", RedirectTo("http://127.0.0.1/"));
        fleet.Map("to-metadata.hostile.test", RedirectTo("http://169.254.169.254/latest/meta-data/"));
        fleet.Map("to-ipv6-loopback.hostile.test", RedirectTo("http://[::1]/"));
        fleet.Map("to-decimal-ip.hostile.test", RedirectTo("http://2130706433/"));
        fleet.Map("to-octal-ip.hostile.test", RedirectTo("http://0177.0.0.1/"));
        fleet.Map("to-hex-ip.hostile.test", RedirectTo("http://0x7f.1/"));
        fleet.Map("to-ftp.hostile.test", RedirectTo("ftp://example.com/"));
    }

    private static async Task EndlessAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        var chunk = new byte[16 * 1024];
        Array.Fill(chunk, (byte)'a');
        await context.Response.WriteAsync("<!doctype html><html><body><p>", context.RequestAborted);
        while (!context.RequestAborted.IsCancellationRequested)
        {
            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        }
    }

    private static async Task DripAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.StartAsync(context.RequestAborted);
        while (!context.RequestAborted.IsCancellationRequested)
        {
            await context.Response.Body.WriteAsync("a"u8.ToArray(), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(100, context.RequestAborted);
        }
    }

    private static Task SlowFirstByteAsync(HttpContext context) => Task.Delay(TimeSpan.FromMinutes(10), context.RequestAborted);

    private static async Task StallAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync("<!doctype html><html><head><title>Stalled", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await Task.Delay(TimeSpan.FromMinutes(10), context.RequestAborted);
    }

    private static Task HangUp(HttpContext context)
    {
        context.Abort();
        return Task.CompletedTask;
    }

    private static Task LoopAsync(HttpContext context)
    {
        context.Response.Redirect(context.Request.Path == "/a" ? "/b" : "/a");
        return Task.CompletedTask;
    }

    private static Task ChainAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var hop = path.StartsWith("/hop/", StringComparison.Ordinal) && int.TryParse(path[5..], out var n) ? n : 0;
        context.Response.Redirect($"/hop/{hop + 1}");
        return Task.CompletedTask;
    }

    private static async Task GzipBombAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentEncoding = "gzip";
        // Concatenated gzip members are one valid gzip stream; repeating a small member keeps the bomb cheap to build.
        var member = BombMember.Value;
        for (var i = 0; i < BombMembers && !context.RequestAborted.IsCancellationRequested; i++)
        {
            await context.Response.Body.WriteAsync(member, context.RequestAborted);
        }
    }

    private static byte[] CreateBombMember()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[BombMemberBytes]);
        }

        return output.ToArray();
    }

    private static RequestDelegate RedirectTo(string location) => context =>
    {
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    };
}
