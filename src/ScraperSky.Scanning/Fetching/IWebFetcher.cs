namespace ScraperSky.Scanning.Fetching;

/// The one way the scanner reaches the web. Every request tries https first and falls back to http when https cannot
/// connect or its handshake fails (as it does on a certificate that neither the system nor `ExtraRootCertificates`
/// trusts); follows at most `MaxRedirects` redirects; checks every connected address against the address guard
/// (loopback, private, link-local... refused) unless the host is routed by `Scanning:HostMap`.
/// Failures that end the request throw <see cref="ScanException"/> with a user-readable reason.
public interface IWebFetcher
{
    /// Fetches a page and decodes it as text (charset from header, BOM or meta), capped at `MaxPageBytes` decompressed.
    /// A non-success status is returned, not thrown; the caller decides what it means.
    Task<FetchedPage> GetPageAsync(Uri url, CancellationToken cancellationToken) => GetPageAsync(url, null, cancellationToken);

    /// As above; once the final answer's head has come, and before its body is read, waits for <paramref name="room"/>
    /// to take the page in (the extraction lane's page budget), so that a page holds room only from when its bytes are
    /// on their way, not through the site's latency. The response timeout stops while it waits: the wait is the
    /// scanner's, not the site's.
    Task<FetchedPage> GetPageAsync(Uri url, IPageRoom? room, CancellationToken cancellationToken);

    /// Opens a response body as a stream for incremental reading (sitemaps), transport-decompressed and capped at
    /// <paramref name="maxBytes"/>: reading past the cap throws <see cref="ResponseTooLargeException"/>, reading after
    /// `ResponseTimeout` (counted from the request) throws <see cref="ResponseTimeoutException"/>.
    Task<FetchedStream> OpenAsync(Uri url, long maxBytes, CancellationToken cancellationToken) =>
        OpenAsync(url, maxBytes, null, cancellationToken);

    /// As above; a redirect whose target <paramref name="mayRedirectTo"/> refuses is not followed (a permanent
    /// <see cref="ScanException"/>), so a caller that keeps to a scope (a site's sitemaps) is not led out of it.
    Task<FetchedStream> OpenAsync(Uri url, long maxBytes, Func<Uri, bool>? mayRedirectTo, CancellationToken cancellationToken);
}

/// Where a fetched page's body is read into (<see cref="ExtractionLane.PageAdmission"/>): asked once per page, when the
/// answer's head has come; <paramref name="length"/> is its Content-Length when the answer gives one (not when it is
/// compressed). A cancelled token ends the wait.
public interface IPageRoom
{
    ValueTask TakeAsync(long? length, CancellationToken cancellationToken);
}

public sealed record FetchedPage
{
    public required Uri RequestedUrl { get; init; }
    public required Uri FinalUrl { get; init; }
    public required int StatusCode { get; init; }

    /// Every URL visited before <see cref="FinalUrl"/>, in order (empty when there was no redirect).
    public IReadOnlyList<Uri> RedirectChain { get; init; } = [];

    /// Response headers (names case-insensitive); multiple values joined by ", " except Set-Cookie, kept per line.
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; }
    public string? ContentType { get; init; }

    /// The decoded page, owned by whoever asked for it: disposing it gives its buffer back (see <see cref="PageText"/>).
    public required PageText Html { get; init; }
    public long Bytes { get; init; }
    public long ElapsedMs { get; init; }
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

public sealed class FetchedStream(Stream body, IDisposable response) : IAsyncDisposable
{
    public required Uri FinalUrl { get; init; }
    public required int StatusCode { get; init; }
    public string? ContentType { get; init; }
    public IReadOnlyList<Uri> RedirectChain { get; init; } = [];
    public long ElapsedMs { get; init; }
    public Stream Body { get; } = body;
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public async ValueTask DisposeAsync()
    {
        await Body.DisposeAsync();
        response.Dispose();
    }
}

public sealed class ResponseTooLargeException(long limit)
    : IOException($"Response body exceeds the limit of {limit} bytes")
{
    public long Limit { get; } = limit;
}
