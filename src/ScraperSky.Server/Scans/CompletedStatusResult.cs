namespace ScraperSky.Server.Scans;

/// A completed scan's status as <see cref="CompletedScanStatuses"/> wrote it: the same answer `Ok<ScanStatus>` gives
/// (200, `application/json; charset=utf-8`, no length, so chunked as before), its bytes copied as they are.
public sealed class CompletedStatusResult(byte[] body) : IResult
{
    private const string ContentType = "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
