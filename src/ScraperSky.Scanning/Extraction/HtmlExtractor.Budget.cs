using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Text;
using Microsoft.Extensions.Options;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Extraction;

/// Bounded work per page: every extraction runs within <see cref="PageCpuBudget"/> of CPU time and observes a
/// cancellation token. The prescan, the parser (as it creates elements), the tree walk and the stages after it check
/// the budget; a page that runs out is abandoned with a <see cref="ScanException"/> saying so, and a cancelled token
/// ends the extraction with <see cref="OperationCanceledException"/>. Nothing of the page is kept half-read.
///
/// The parser is checked as it creates elements (by <see cref="PageTree"/>'s factory, or the element-created callback
/// when it builds AngleSharp's DOM) rather than per token (a per-token callback costs a parse a third more: every
/// token is materialised for it). What the tree builder does between two elements is bounded by the
/// prescan: the stack it walks is at most <see cref="HtmlPrescan.MaxDepth"/> deep, and long runs of end tags that
/// close nothing never reach it.
public sealed partial class HtmlExtractor
{
    public static readonly TimeSpan DefaultPageCpuBudget = TimeSpan.FromSeconds(3);

    // The budget of the extraction running on this thread (extraction is synchronous), for the parser's token callback.
    [ThreadStatic]
    private static CpuBudget? t_budget;

    public HtmlExtractor(FingerprintMatcher matcher, IOptions<ScanningOptions> options)
        : this(matcher)
    {
        ArgumentNullException.ThrowIfNull(options);
        PageCpuBudget = options.Value.PageCpuBudget;
    }

    /// CPU time one page may use (`Scanning:PageCpuBudget`).
    public TimeSpan PageCpuBudget { get; init; } = DefaultPageCpuBudget;

    /// <param name="siteRegion">The region the homepage was read in, so that a contact page without its own hints
    /// (no `lang`, no address) reads national numbers the same way.</param>
    /// <param name="links">Whether to read the page's links (<see cref="PageExtraction.Links"/>, which a homepage's
    /// contact pages are chosen from): a contact page's hundreds of links and their texts would be made and kept to
    /// the scan's end for nothing.</param>
    /// <exception cref="ScanException">The page needed more than <see cref="PageCpuBudget"/> (permanent).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public PageExtraction Extract(FetchedPage page, string? siteRegion = null, bool links = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        cancellationToken.ThrowIfCancellationRequested();
        var budget = new CpuBudget(PageCpuBudget, cancellationToken);
        var outer = t_budget;
        t_budget = budget;
        try
        {
            return ExtractPage(page, siteRegion, links, budget);
        }
        catch (Exception e) when (e is CpuBudgetExceededException or OperationCanceledException)
        {
            // The parser was left mid-document: the next page gets a fresh one.
            t_parser = null;
            t_documentParser = null;
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new ScanException(
                $"{ErrorText.Url(page.FinalUrl)} needs more than {PageCpuBudget.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s of CPU time to read; the page was not used.",
                false, e);
        }
        finally
        {
            t_budget = outer;
        }
    }

    private static void OnCreated(IElement element, TextPosition position) => CheckBudget();

    /// The parser's check, for each element it makes into AngleSharp's DOM (every 16th asks the clock), or every
    /// <paramref name="every"/>th (a <see cref="PageTree"/> counts its elements itself).
    internal static void CheckBudget(int every = 16) => t_budget?.Check(every);
}
