namespace ScraperSky.Server.Scans;

/// A completed scan's status as <see cref="CompletedScanStatuses"/> wrote it: the same answer `Ok<ScanStatus>` gives
/// (200, `application/json; charset=utf-8`, no length, so chunked as before), its bytes copied as they are.
///
/// The headers and the bytes go into the response's writer unflushed and are sent with the end of the answer, in one
/// flush: written through the body stream they were flushed at once and then again with the last chunk. Started first,
/// so that the bytes are copied once, into the connection's buffer (asked for before the start, Kestrel keeps them in
/// a buffer of its own, here one allocated per request, and copies them on).
public sealed class CompletedStatusResult(byte[] body) : IResult
{
    private const string ContentType = "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        await response.StartAsync(httpContext.RequestAborted);
        // Asked for at its whole length, Kestrel's chunked writer gives one span for it: one chunk, as the write did.
        var writer = response.BodyWriter;
        body.CopyTo(writer.GetSpan(body.Length));
        writer.Advance(body.Length);
    }
}
