using Microsoft.Extensions.Caching.Memory;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Server.Images;

/// Fetches favicons and logos through the scanner's guarded fetcher (the same address guard, size cap, timeouts and
/// HostMap routes as a scan) and keeps them in a bounded in-memory cache of its own, keyed by URL: the image at a URL
/// is the same whichever tenant asks, and the endpoint checks the tenant before it asks. Failures are remembered for
/// a shorter while, so a page shown again does not send the site another request at once.
public sealed partial class SiteImageFetcher(IServiceScopeFactory scopes, ILogger<SiteImageFetcher> logger) : IDisposable
{
    public const int MaxBytes = 1024 * 1024;
    private const long CacheBytes = 64L * 1024 * 1024;
    private static readonly TimeSpan Keep = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeepFailure = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheBytes });

    public async Task<SiteImage> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        var key = url.AbsoluteUri;
        if (_cache.TryGetValue(key, out SiteImage? cached) && cached is not null)
        {
            return cached;
        }

        var image = await FetchAsync(url, cancellationToken);
        _cache.Set(key, image, new MemoryCacheEntryOptions
        {
            Size = Math.Max(1, image.Bytes?.Length ?? 0),
            AbsoluteExpirationRelativeToNow = image.Bytes is null ? KeepFailure : Keep,
        });
        return image;
    }

    private async Task<SiteImage> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return SiteImage.Failed("The image's address is not http or https.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        await using var scope = scopes.CreateAsyncScope();
        var fetcher = scope.ServiceProvider.GetRequiredService<IWebFetcher>();
        try
        {
            await using var response = await fetcher.OpenAsync(url, MaxBytes, timeout.Token);
            if (!response.IsSuccess)
            {
                return SiteImage.Failed($"The site answered {response.StatusCode} for the image.");
            }

            using var buffer = new MemoryStream();
            await response.Body.CopyToAsync(buffer, timeout.Token);
            var bytes = buffer.ToArray();
            return ImageKind.Sniff(bytes, response.ContentType) is { } kind
                ? SiteImage.Of(bytes, kind)
                : SiteImage.Failed("The site's answer is not an image (PNG, JPEG, GIF, WebP, ICO, BMP, AVIF or SVG).");
        }
        catch (ScanException ex)
        {
            LogFetchFailed(logger, url, ex.Message);
            return SiteImage.Failed(ex.Message);
        }
        catch (ResponseTooLargeException)
        {
            return SiteImage.Failed($"The image is larger than {MaxBytes / 1024} KiB.");
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogFetchFailed(logger, url, ex.Message);
            return SiteImage.Failed("The image could not be read from the site in time.");
        }
    }

    public void Dispose() => _cache.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not fetch the site image {Url}: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, Uri url, string reason);
}
