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
/// domains are checked for mail exchangers. Last come the site's sitemaps, streamed into the request's sink. A bot
/// challenge instead of the homepage fails the scan for good.
///
/// Bounded: the whole scan ends by `Scanning:ScanDeadline` with what it has read, marked partial with the reason
/// (<see cref="ScanDeadline"/>); each page's extraction has a CPU budget; contact pages stay on the homepage's host and
/// port; the result is kept under `Scanning:MaxResultBytes` (<see cref="ScanResultSize"/>). Pages are extracted in the
/// <see cref="ExtractionLane"/>, off the thread pool.
public sealed partial class DomainScanner(
    IWebFetcher fetcher,
    RobotsPolicy robots,
    HtmlExtractor extractor,
    ExtractionLane lane,
    Fingerprints.WordPressFeed wordPressFeed,
    SitemapCollector sitemaps,
    MailDomainChecker mailDomains,
    IOptions<ScanningOptions> options,
    TimeProvider time,
    ILogger<DomainScanner> logger) : IDomainScanner
{
    public async Task<SiteMetadata> ScanAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Uri.TryCreate($"https://{request.Domain}/", UriKind.Absolute, out var homepage))
        {
            throw new ScanException($"Invalid domain format: {request.Domain}", false);
        }

        using var deadline = new ScanDeadline(options.Value.ScanDeadline, time, cancellationToken);
        progress?.Report(new ScanProgress(ScanSteps.Starting, $"Fetching the homepage {homepage}"));
        PageExtraction home;
        IReadOnlyList<Uri> sitemapLinks;
        Uri? feedUrl;
        try
        {
            // The lane's page budget admits the page before it is fetched and takes its bytes back after the extraction.
            using var admission = await lane.AdmitPageAsync(deadline.Token);
            var page = await fetcher.GetPageAsync(homepage, deadline.Token);
            admission.Hold(page.Bytes);
            // What else the homepage's HTML is needed for is taken from it right after its extraction, and its buffer
            // given back: it would otherwise wait through the contact pages' requests and the extraction lane.
            using (page.Html)
            {
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
                home = await lane.RunAsync(() => extractor.Extract(page, null, cancellationToken: deadline.Token), deadline.Token);
                sitemapLinks = request.IncludeSitemaps ? SitemapLinks.Find(page.Html.Span, page.FinalUrl) : [];
                feedUrl = Fingerprints.WordPressFeed.FeedToRead(home);
                home = WithoutHtml(home);
            }
        }
        catch (OperationCanceledException e) when (deadline.Ended(e))
        {
            // Nothing read yet to return: worth another attempt later.
            throw new ScanException($"The homepage of {request.Domain} could not be read within the scan's time limit of {deadline.Seconds} s.", true, e);
        }

        // The favicon check is one request that mostly waits; it runs alongside the contact pages and sitemaps.
        var iconCheck = home.FaviconUrl is null ? FaviconProbe.FindAsync(fetcher, home.Page.FinalUrl, deadline.Token) : null;
        var budget = Math.Min(options.Value.ContactPages, Math.Max(0, (request.MaxPages ?? int.MaxValue) - 1));
        var contactPages = await ReadContactPagesAsync(home, budget, progress, deadline);
        if (feedUrl is not null && contactPages.Count + 1 < (request.MaxPages ?? int.MaxValue) && !deadline.Passed
            && await WithinDeadlineAsync(() => wordPressFeed.ReadAsync(feedUrl, home, robots, deadline.Token), deadline) is { } feed)
        {
            contactPages.Add(WithoutHtml(feed));
        }

        var metadata = SiteResult.Build(home, contactPages);
        if (request.IncludeSitemaps && deadline.Passed)
        {
            deadline.Missed("the sitemaps were not read");
        }
        else if (request.IncludeSitemaps)
        {
            progress?.Report(new ScanProgress(ScanSteps.Extracting, $"Reading the sitemaps of {request.Domain}"));
            var sitemapSummary = await sitemaps.CollectAsync(request.Domain, robots, sitemapLinks,
                request.SitemapSink ?? DiscardingSitemapSink.Instance, cancellationToken, deadline.DeadlineToken);
            if (deadline.Passed)
            {
                deadline.Missed("sitemap reading was cut off (see the sitemap errors)");
            }

            metadata = metadata with { Sitemaps = sitemapSummary };
        }

        if (!deadline.Passed && await WithinDeadlineAsync<ContactInfo>(
                async () => await mailDomains.CheckAsync(metadata.ContactInfo, deadline.Token), deadline) is { } contacts)
        {
            metadata = metadata with { ContactInfo = contacts };
        }

        if (iconCheck is not null && await WithinDeadlineAsync(() => iconCheck, deadline) is { } icon)
        {
            metadata = metadata with { FaviconUrl = HostForm.Ascii(icon) };
        }

        return ScanResultSize.Fit(deadline.Apply(metadata), options.Value.MaxResultBytes);
    }

    /// An optional step's answer, or null when the scan's deadline stopped it.
    private static async Task<T?> WithinDeadlineAsync<T>(Func<Task<T?>> step, ScanDeadline deadline) where T : class
    {
        try
        {
            return await step();
        }
        catch (OperationCanceledException e) when (deadline.Ended(e))
        {
            return null;
        }
    }

    private async Task<List<PageExtraction>> ReadContactPagesAsync(
        PageExtraction home, int budget, IProgress<ScanProgress>? progress, ScanDeadline deadline)
    {
        // Filled as pages are read, so that what was read before the deadline is kept.
        var pages = new List<PageExtraction>();
        try
        {
            return await ReadContactPagesAsync(home, budget, progress, pages, deadline.Token);
        }
        catch (OperationCanceledException e) when (deadline.Ended(e))
        {
            deadline.Missed($"{pages.Count.ToString(CultureInfo.InvariantCulture)} of up to {budget.ToString(CultureInfo.InvariantCulture)} contact pages were read");
            return pages;
        }
    }

    private async Task<List<PageExtraction>> ReadContactPagesAsync(
        PageExtraction home, int budget, IProgress<ScanProgress>? progress, List<PageExtraction> pages, CancellationToken cancellationToken)
    {
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

            // Another host or port is another site: not read at all.
            if (!SameSite(url, homepage))
            {
                continue;
            }

            if (!await robots.IsAllowedAsync(url, cancellationToken))
            {
                LogDisallowed(logger, url);
                continue;
            }

            progress?.Report(new ScanProgress(ScanSteps.Extracting, $"Reading {url}"));
            using var admission = await lane.AdmitPageAsync(cancellationToken);
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

            admission.Hold(page.Bytes);
            using (page.Html)
            {
                if (!page.IsSuccess || !IsHtml(page) || !SameSite(page.FinalUrl, homepage) || BotChallenge.Detect(page) is not null
                    || pages.Any(p => p.Page.FinalUrl == page.FinalUrl) || page.FinalUrl == homepage)
                {
                    LogContactPageSkipped(logger, url, page.StatusCode, page.FinalUrl);
                    continue;
                }

                try
                {
                    pages.Add(WithoutHtml(await lane.RunAsync(() => extractor.Extract(page, home.Region, links: false, cancellationToken), cancellationToken)));
                }
                catch (ScanException e)
                {
                    // Over its CPU budget: that page is left out.
                    LogContactPageFailed(logger, url, e.Message);
                }
            }
        }

        return pages;
    }

    // A scan keeps its pages' extractions to its end, seconds later (sitemaps, mail checks); a page's text is needed
    // only until it is read, and its buffer goes back to the pool then: what the scan keeps must not point at it.
    private static PageExtraction WithoutHtml(PageExtraction extraction) =>
        extraction with { Page = extraction.Page with { Html = PageText.Empty } };

    private static bool IsHtml(FetchedPage page) =>
        page.ContentType is null || page.ContentType.Contains("html", StringComparison.OrdinalIgnoreCase);

    // The same host (give or take `www.`) and the same port, a default port of either scheme counting as the same:
    // https://example.com/ and http://www.example.com/contact are one site, http://example.com:8080/ another.
    private static bool SameSite(Uri url, Uri homepage) =>
        string.Equals(TrimWww(url.IdnHost), TrimWww(homepage.IdnHost), StringComparison.OrdinalIgnoreCase)
        && (url.IsDefaultPort ? homepage.IsDefaultPort : !homepage.IsDefaultPort && url.Port == homepage.Port);

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Contact page {Url} could not be read: {Reason}")]
    private static partial void LogContactPageFailed(ILogger logger, Uri url, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Contact page {Url} skipped: HTTP {Status} at {FinalUrl}")]
    private static partial void LogContactPageSkipped(ILogger logger, Uri url, int status, Uri finalUrl);
}
