namespace ScraperSky.Scanning.Fetching;

/// Whether a site serves `/favicon.ico`, for pages that declare no icon: one guarded GET whose body is never read
/// (the response is dropped once its headers are in), under a short timeout of its own. Only an answer that is a
/// success and not an HTML page counts: many sites answer every path with their homepage or a 200 error page.
public static class FaviconProbe
{
    private const long MaxBytes = 64 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// The icon's URL (where the site serves it, after redirects), or null when it has none or the check failed.
    public static async Task<Uri?> FindAsync(IWebFetcher fetcher, Uri homepage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        ArgumentNullException.ThrowIfNull(homepage);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var response = await fetcher.OpenAsync(new Uri(homepage, "/favicon.ico"), MaxBytes, timeout.Token);
            return response.IsSuccess && !IsDocument(response.ContentType) ? response.FinalUrl : null;
        }
        catch (ScanException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    // A page or data, not an image: text/*, HTML, JSON or XML (SVG, an image in XML, excepted).
    private static bool IsDocument(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        if (contentType.Contains("svg", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("html", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase);
    }
}
