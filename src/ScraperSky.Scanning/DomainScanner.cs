using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Logging;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning;

/// Scans one domain: fetches its homepage (https first, http when https cannot connect), turns an unusable answer into
/// a transient or permanent <see cref="ScanException"/>, and reads the page's metadata.
public sealed partial class DomainScanner(IWebFetcher fetcher, ILogger<DomainScanner> logger) : IDomainScanner
{
    public async Task<SiteMetadata> ScanAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Uri.TryCreate($"https://{request.Domain}/", UriKind.Absolute, out var homepage))
        {
            throw new ScanException($"Invalid domain format: {request.Domain}", false);
        }

        progress?.Report(new ScanProgress(ScanSteps.Extracting, $"Fetching {homepage}"));
        var page = await fetcher.GetPageAsync(homepage, cancellationToken);
        LogFetched(logger, page.FinalUrl, page.StatusCode, page.Bytes, page.ElapsedMs);
        if (!page.IsSuccess)
        {
            throw FailureFor(page);
        }

        progress?.Report(new ScanProgress(ScanSteps.Extracting, $"Reading metadata from {page.FinalUrl}"));
        return ReadHomepage(page) with
        {
            FinalUrl = page.FinalUrl.AbsoluteUri,
            HttpStatus = page.StatusCode,
            RedirectChain = [.. page.RedirectChain.Select(u => u.AbsoluteUri)],
            Server = Header(page, "Server"),
            PoweredBy = Header(page, "X-Powered-By"),
            PageBytes = page.Bytes,
            FetchMs = page.ElapsedMs,
            PagesScanned = [page.FinalUrl.AbsoluteUri],
        };
    }

    private static ScanException FailureFor(FetchedPage page)
    {
        var status = page.StatusCode;
        var reason = Enum.IsDefined((HttpStatusCode)status)
            ? $"HTTP {status.ToString(CultureInfo.InvariantCulture)} ({SpacedName((HttpStatusCode)status)})"
            : $"HTTP {status.ToString(CultureInfo.InvariantCulture)}";
        var host = page.FinalUrl.IdnHost;
        return status switch
        {
            429 or >= 500 => new ScanException($"{host} answered {reason}; the scan will be retried.", true),
            >= 300 and < 400 => new ScanException($"{host} answered {reason} without a usable redirect target.", false),
            _ => new ScanException($"{host} answered {reason}.", false),
        };
    }

    /// The homepage's own metadata. Kept to one method so the full extractor can take its place.
    private static SiteMetadata ReadHomepage(FetchedPage page)
    {
        var document = new HtmlParser().ParseDocument(page.Html);
        return new SiteMetadata
        {
            Title = Clean(document.QuerySelector("head title, title")?.TextContent) ?? MetaContent(document, "property", "og:title"),
            Description = MetaContent(document, "name", "description") ?? MetaContent(document, "property", "og:description"),
            Language = Clean(document.DocumentElement.GetAttribute("lang"))
                ?? Clean(Header(page, "Content-Language")?.Split(',')[0]),
        };
    }

    private static string? MetaContent(IDocument document, string attribute, string value)
    {
        foreach (var meta in document.QuerySelectorAll("meta"))
        {
            if (string.Equals(meta.GetAttribute(attribute)?.Trim(), value, StringComparison.OrdinalIgnoreCase)
                && Clean(meta.GetAttribute("content")) is { } content)
            {
                return content;
            }
        }

        return null;
    }

    private static string? Header(FetchedPage page, string name) =>
        page.Headers.TryGetValue(name, out var values) && values.Count > 0 ? Clean(values[0]) : null;

    /// Collapses whitespace runs (titles often span lines) and turns empty into null.
    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static string SpacedName(HttpStatusCode status)
    {
        var name = status.ToString();
        var spaced = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && spaced.Length > 0)
            {
                spaced.Append(' ');
            }

            spaced.Append(c);
        }

        return spaced.ToString();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetched {Url}: HTTP {Status}, {Bytes} bytes in {Ms} ms")]
    private static partial void LogFetched(ILogger logger, Uri url, int status, long bytes, long ms);
}
