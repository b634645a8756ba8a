using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Mail;
using ScraperSky.Scanning.Robots;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Scanning;

/// Scans one domain: fetches its homepage (https first, http when https cannot connect), turns an unusable answer into
/// a transient or permanent <see cref="ScanException"/>, extracts the page, then reads up to `ContactPages` same-site
/// pages that likely carry contact details (bounded by the request's `max_pages`), politely: robots.txt is obeyed for
/// them and they are fetched one after another. Their contacts and profiles are merged into the result, and the email
/// domains are checked for mail exchangers. Last come the site's sitemaps, streamed into the request's sink.
public sealed partial class DomainScanner(
    IWebFetcher fetcher,
    RobotsPolicy robots,
    HtmlExtractor extractor,
    Fingerprints.WordPressFeed wordPressFeed,
    SitemapCollector sitemaps,
    MailDomainChecker mailDomains,
    IOptions<ScanningOptions> options,
    ILogger<DomainScanner> logger) : IDomainScanner
{
    public async Task<SiteMetadata> ScanAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Uri.TryCreate($"https://{request.Domain}/", UriKind.Absolute, out var homepage))
        {
            throw new ScanException($"Invalid domain format: {request.Domain}", false);
        }

        progress?.Report(new ScanProgress(ScanSteps.Starting, $"Fetching the homepage {homepage}"));
        var page = await fetcher.GetPageAsync(homepage, cancellationToken);
        LogFetched(logger, page.FinalUrl, page.StatusCode, page.Bytes, page.ElapsedMs);
        if (BotChallenge.Detect(page) is { } blocker)
        {
            // Retrying meets the same wall, and the challenge page says nothing about the site.
            var by = blocker.Length > 0 ? $" ({blocker})" : "";
            throw new ScanException($"{page.FinalUrl.IdnHost} blocked the scan with a bot challenge{by}.", false);
        }

        if (!page.IsSuccess)
        {
            throw FailureFor(page);
        }

        progress?.Report(new ScanProgress(ScanSteps.Extracting, $"Reading the homepage {page.FinalUrl}"));
        var home = extractor.Extract(page);

        // The favicon check is one request that mostly waits; it runs alongside the contact pages and sitemaps.
        var iconCheck = home.FaviconUrl is null ? FaviconProbe.FindAsync(fetcher, page.FinalUrl, cancellationToken) : null;
        var budget = Math.Min(options.Value.ContactPages, Math.Max(0, (request.MaxPages ?? int.MaxValue) - 1));
        var contactPages = await ReadContactPagesAsync(home, budget, progress, cancellationToken);
        if (contactPages.Count + 1 < (request.MaxPages ?? int.MaxValue) && await wordPressFeed.ReadAsync(home, cancellationToken) is { } feed)
        {
            contactPages.Add(feed);
        }

        var metadata = SiteResult.Build(home, contactPages);
        if (request.IncludeSitemaps)
        {
            progress?.Report(new ScanProgress(ScanSteps.Extracting, $"Reading the sitemaps of {request.Domain}"));
            metadata = metadata with
            {
                Sitemaps = await sitemaps.CollectAsync(request.Domain, robots, SitemapLinks.Find(page.Html, page.FinalUrl),
                    request.SitemapSink ?? DiscardingSitemapSink.Instance, cancellationToken),
            };
        }

        metadata = metadata with { ContactInfo = await mailDomains.CheckAsync(metadata.ContactInfo, cancellationToken) };
        if (iconCheck is not null && await iconCheck is { } icon)
        {
            metadata = metadata with { FaviconUrl = HostForm.Ascii(icon) };
        }

        return metadata;
    }

    private async Task<List<PageExtraction>> ReadContactPagesAsync(
        PageExtraction home, int budget, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        var pages = new List<PageExtraction>();
        if (budget == 0)
        {
            return pages;
        }

        // A few spare candidates, so that pages robots.txt keeps us from do not shrink the budget.
        var homepage = home.Page.FinalUrl;
        foreach (var url in ContactPageSelector.Select(homepage, home.Links, budget * 2))
        {
            if (pages.Count == budget)
            {
                break;
            }

            if (!await robots.IsAllowedAsync(url, cancellationToken))
            {
                LogDisallowed(logger, url);
                continue;
            }

            progress?.Report(new ScanProgress(ScanSteps.Extracting, $"Reading {url}"));
            FetchedPage page;
            try
            {
                page = await fetcher.GetPageAsync(url, cancellationToken);
            }
            catch (ScanException e)
            {
                // A broken contact page costs that page, not the scan: the homepage already succeeded.
                LogContactPageFailed(logger, url, e.Message);
                continue;
            }

            if (!page.IsSuccess || !IsHtml(page) || !SameSite(page.FinalUrl, homepage) || BotChallenge.Detect(page) is not null
                || pages.Any(p => p.Page.FinalUrl == page.FinalUrl) || page.FinalUrl == homepage)
            {
                LogContactPageSkipped(logger, url, page.StatusCode, page.FinalUrl);
                continue;
            }

            pages.Add(extractor.Extract(page, home.Region));
        }

        return pages;
    }

    private static bool IsHtml(FetchedPage page) =>
        page.ContentType is null || page.ContentType.Contains("html", StringComparison.OrdinalIgnoreCase);

    private static bool SameSite(Uri url, Uri homepage) =>
        string.Equals(TrimWww(url.IdnHost), TrimWww(homepage.IdnHost), StringComparison.OrdinalIgnoreCase);

    private static string TrimWww(string host) => host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host;

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "robots.txt disallows {Url}; not read")]
    private static partial void LogDisallowed(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact page {Url} could not be read: {Reason}")]
    private static partial void LogContactPageFailed(ILogger logger, Uri url, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Contact page {Url} skipped: HTTP {Status} at {FinalUrl}")]
    private static partial void LogContactPageSkipped(ILogger logger, Uri url, int status, Uri finalUrl);
}
