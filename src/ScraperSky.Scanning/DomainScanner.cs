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
/// them and at most <see cref="ContactPagesAtOnce"/> are read at a time. Their contacts and profiles are merged into the
/// result, and the email domains are checked for mail exchangers. The site's sitemaps, streamed into the request's sink,
/// are read alongside the contact pages, and robots.txt is asked for alongside the homepage: what does not depend on
/// each other overlaps, so that a scan waits for a site's latency a few times rather than once per request. A bot
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
    /// Contact-page candidates read at once (fetch and extraction). Beside them a site sees the scan's sitemap and feed
    /// requests, all within `Scanning:MaxConcurrentRequestsPerHost` (<see cref="HostConcurrency"/>).
    internal const int ContactPagesAtOnce = 2;

    public async Task<SiteMetadata> ScanAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Uri.TryCreate($"https://{request.Domain}/", UriKind.Absolute, out var homepage))
        {
            throw new ScanException($"Invalid domain format: {request.Domain}", false);
        }

        using var deadline = new ScanDeadline(options.Value.ScanDeadline, time, cancellationToken);
        // What runs beside the scan's own line (robots.txt read ahead, the sitemaps, the feed) ends with the scan: one
        // that fails or is cancelled stops them and waits for them, so that nothing of it goes on after it.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var alongside = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, abandon.Token);
        var pending = new List<Task>(3);
        try
        {
            return await ScanAsync(request, homepage, progress, deadline, abandon.Token, alongside.Token, pending);
        }
        finally
        {
            if (pending.Exists(step => !step.IsCompleted))
            {
                await abandon.CancelAsync();
                await Task.WhenAll(pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            foreach (var step in pending)
            {
                // Observed here: a step whose failure the scan did not need is not left to the finalizer.
                _ = step.Exception;
            }
        }
    }

    private async Task<SiteMetadata> ScanAsync(ScanRequest request, Uri homepage, IProgress<ScanProgress>? progress,
        ScanDeadline deadline, CancellationToken abandon, CancellationToken alongside, List<Task> pending)
    {
        // The sitemaps read robots.txt of the requested host right after the homepage, and the contact pages mostly of
        // the same host: it is asked for while the homepage is on its way. The homepage itself is read whatever robots.txt
        // says (the user asked for it), as before. Without sitemaps robots.txt may not be needed at all: not read ahead.
        if (request.IncludeSitemaps)
        {
            pending.Add(ReadAheadAsync(robots.GetAsync(homepage, alongside)));
        }

        progress?.Report(new ScanProgress(ScanSteps.Starting, $"Fetching the homepage {homepage}"));
        var maxPages = request.MaxPages ?? int.MaxValue;
        var budget = Math.Min(options.Value.ContactPages, Math.Max(0, maxPages - 1));
        PageExtraction home;
        IReadOnlyList<Uri> sitemapLinks;
        IReadOnlyList<Uri> contactCandidates;
        Uri? feedUrl;
        try
        {
            // The lane's page budget admits the page once its answer's head has come, and takes its bytes back after the
            // extraction.
            using var admission = lane.AdmitPage();
            var page = await fetcher.GetPageAsync(homepage, admission, deadline.Token);
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
                contactCandidates = ContactCandidates(home, budget);
                // The links (hundreds of objects and strings a page) go with the HTML: kept, they lived through the
                // rest of the scan and every young collection on the way copied them into the older generations.
                home = WithoutHtml(home);
            }
        }
        catch (OperationCanceledException e) when (deadline.Ended(e))
        {
            // Nothing read yet to return: worth another attempt later.
            throw new ScanException($"The homepage of {request.Domain} could not be read within the scan's time limit of {deadline.Seconds} s.", true, e);
        }

        // The sitemaps need robots.txt and the homepage's links, not the contact pages: read alongside them.
        Task<(SitemapSummary Summary, bool CutOff)>? sitemapsRead = null;
        if (request.IncludeSitemaps && !deadline.Passed)
        {
            progress?.Report(new ScanProgress(ScanSteps.Extracting, $"Reading the sitemaps of {request.Domain}"));
            sitemapsRead = CollectSitemapsAsync(request, sitemapLinks, abandon, deadline);
            pending.Add(sitemapsRead);
        }

        // The favicon check is one request that mostly waits; it runs alongside the contact pages and sitemaps.
        var iconCheck = home.FaviconUrl is null ? FaviconProbe.FindAsync(fetcher, home.Page.FinalUrl, deadline.Token) : null;
        // The feed counts as a page: read alongside the contact pages when the page limit has room for it whatever they
        // bring, else after them when they left room.
        Task<PageExtraction?>? feedRead = null;
        if (feedUrl is not null && budget + 1 < maxPages && !deadline.Passed)
        {
            feedRead = ReadFeedAsync(feedUrl, home, alongside, deadline);
            pending.Add(feedRead);
        }

        var contactPages = await ReadContactPagesAsync(home, contactCandidates, budget, progress, deadline);
        if (feedUrl is not null && feedRead is null && contactPages.Count + 1 < maxPages && !deadline.Passed)
        {
            feedRead = ReadFeedAsync(feedUrl, home, alongside, deadline);
            pending.Add(feedRead);
        }

        if (feedRead is not null && await feedRead is { } feed)
        {
            contactPages.Add(WithoutHtml(feed));
        }

        var metadata = SiteResult.Build(home, contactPages);
        if (request.IncludeSitemaps && sitemapsRead is null)
        {
            deadline.Missed("the sitemaps were not read");
        }
        else if (sitemapsRead is not null)
        {
            var (sitemapSummary, cutOff) = await sitemapsRead;
            if (cutOff)
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

    /// A step started before its answer is needed: whoever needs it asks again and finds it kept (robots.txt is kept
    /// per host), or, when it was stopped, asks afresh.
    private static async Task ReadAheadAsync(Task step)
    {
        try
        {
            await step;
        }
        catch (OperationCanceledException)
        {
            // Stopped with the scan, or by its deadline: the next to ask meets the same end.
        }
    }

    /// The sitemaps' summary, and whether the deadline had passed when their reading ended (it was cut off then).
    private async Task<(SitemapSummary Summary, bool CutOff)> CollectSitemapsAsync(
        ScanRequest request, IReadOnlyList<Uri> links, CancellationToken cancellationToken, ScanDeadline deadline)
    {
        var summary = await sitemaps.CollectAsync(request.Domain, robots, links,
            request.SitemapSink ?? DiscardingSitemapSink.Instance, cancellationToken, deadline.DeadlineToken);
        return (summary, deadline.Passed);
    }

    private Task<PageExtraction?> ReadFeedAsync(Uri feedUrl, PageExtraction home, CancellationToken cancellationToken, ScanDeadline deadline) =>
        WithinDeadlineAsync(() => wordPressFeed.ReadAsync(feedUrl, home, robots, cancellationToken), deadline);

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

    /// The first `budget` usable contact pages in the candidates' order, read <see cref="ContactPagesAtOnce"/> at a
    /// time: a candidate that robots.txt forbids, that fails or that is no usable page gives its place to the next one.
    /// A candidate starts only while the pages that may still count are fewer than the budget, so a scan reads no more
    /// pages than one after another would; whatever order the answers come in, the pages are taken in the candidates'
    /// order. At the deadline the pages read by then are kept.
    private async Task<List<PageExtraction>> ReadContactPagesAsync(
        PageExtraction home, IReadOnlyList<Uri> candidates, int budget, IProgress<ScanProgress>? progress, ScanDeadline deadline)
    {
        var pages = new List<PageExtraction>();
        if (budget == 0)
        {
            return pages;
        }

        var reads = new Task<PageExtraction?>[candidates.Count];
        var started = 0;
        var cutOff = false;
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token))
        {
            var running = new List<Task<PageExtraction?>>(ContactPagesAtOnce);
            try
            {
                while (true)
                {
                    while (started < candidates.Count && running.Count < ContactPagesAtOnce && MayCount(reads, started) < budget)
                    {
                        reads[started] = ReadContactPageAsync(candidates[started], home, progress, stop.Token);
                        running.Add(reads[started]);
                        started++;
                    }

                    if (running.Count == 0)
                    {
                        break;
                    }

                    var done = await Task.WhenAny(running);
                    running.Remove(done);
                    // A cancellation (the deadline, the caller) ends the reading here.
                    await done;
                }
            }
            catch (OperationCanceledException e) when (deadline.Ended(e))
            {
                cutOff = true;
            }
            finally
            {
                if (running.Count > 0)
                {
                    await stop.CancelAsync();
                    await ((Task)Task.WhenAll(running)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }

        for (var i = 0; i < started && pages.Count < budget; i++)
        {
            if (reads[i].IsCompletedSuccessfully && reads[i].Result is { } page && !ReadBefore(reads, i, page.Page.FinalUrl))
            {
                pages.Add(page);
            }
        }

        if (cutOff)
        {
            deadline.Missed($"{pages.Count.ToString(CultureInfo.InvariantCulture)} of up to {budget.ToString(CultureInfo.InvariantCulture)} contact pages were read");
        }

        return pages;
    }

    /// Of the first <paramref name="started"/> candidates, those that are a usable page or may still turn out one: the
    /// ones not answered yet, and the pages read that no earlier candidate had already read (the same final URL).
    private static int MayCount(Task<PageExtraction?>[] reads, int started)
    {
        var count = 0;
        for (var i = 0; i < started; i++)
        {
            if (!reads[i].IsCompletedSuccessfully)
            {
                count++;
            }
            else if (reads[i].Result is { } page && !ReadBefore(reads, i, page.Page.FinalUrl))
            {
                count++;
            }
        }

        return count;
    }

    private static bool ReadBefore(Task<PageExtraction?>[] reads, int index, Uri finalUrl)
    {
        for (var i = 0; i < index; i++)
        {
            if (reads[i].IsCompletedSuccessfully && reads[i].Result?.Page.FinalUrl == finalUrl)
            {
                return true;
            }
        }

        return false;
    }

    /// One candidate read and extracted, or null when robots.txt forbids it, it cannot be read or it is no usable page.
    /// Its page holds its place in the lane's page budget from its answer's head to the end of its extraction and waits
    /// for nothing else meanwhile, so candidates read at once never wait for budget their own scan holds.
    private async Task<PageExtraction?> ReadContactPageAsync(
        Uri url, PageExtraction home, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        if (!await robots.IsAllowedAsync(url, cancellationToken))
        {
            LogDisallowed(logger, url);
            return null;
        }

        progress?.Report(new ScanProgress(ScanSteps.Extracting, $"Reading {url}"));
        using var admission = lane.AdmitPage();
        FetchedPage page;
        try
        {
            page = await fetcher.GetPageAsync(url, admission, cancellationToken);
        }
        catch (ScanException e)
        {
            // A broken contact page costs that page, not the scan: the homepage already succeeded.
            LogContactPageFailed(logger, url, e.Message);
            return null;
        }

        admission.Hold(page.Bytes);
        using (page.Html)
        {
            var homepage = home.Page.FinalUrl;
            if (!page.IsSuccess || !IsHtml(page) || !SameSite(page.FinalUrl, homepage) || BotChallenge.Detect(page) is not null
                || page.FinalUrl == homepage)
            {
                LogContactPageSkipped(logger, url, page.StatusCode, page.FinalUrl);
                return null;
            }

            try
            {
                return WithoutHtml(await lane.RunAsync(() => extractor.Extract(page, home.Region, links: false, cancellationToken), cancellationToken));
            }
            catch (ScanException e)
            {
                // Over its CPU budget: that page is left out.
                LogContactPageFailed(logger, url, e.Message);
                return null;
            }
        }
    }

    /// The homepage's links most likely to be contact pages, in the order they are read: a few spare ones, so that
    /// pages robots.txt keeps us from do not shrink the budget. Another host or port is another site: not read at all.
    private static IReadOnlyList<Uri> ContactCandidates(PageExtraction home, int budget)
    {
        if (budget == 0)
        {
            return [];
        }

        var homepage = home.Page.FinalUrl;
        return ContactPageSelector.Select(homepage, home.Links, budget * 2).Where(url => SameSite(url, homepage)).ToList();
    }

    // A scan keeps its pages' extractions to its end, seconds later (sitemaps, mail checks); a page's text is needed
    // only until it is read, and its buffer goes back to the pool then: what the scan keeps must not point at it. Nor
    // at its links, which only the contact pages' choice reads (ContactCandidates, before this).
    private static PageExtraction WithoutHtml(PageExtraction extraction) =>
        extraction with { Page = extraction.Page with { Html = PageText.Empty }, Links = [] };

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
