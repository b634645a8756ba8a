using BenchmarkDotNet.Attributes;
using ScraperSky.Benchmarks.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Benchmarks.Sitemaps;

/// The search for `<link rel="sitemap">` the scanner makes in every homepage after its extraction, on the thread pool,
/// over the extraction corpus's pages: the time and allocated bytes per page.
[MemoryDiagnoser]
public class SitemapLinksBenchmarks
{
    private const int Pages = 32;

    private List<FetchedPage> _pages = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pages = ExtractionCorpus.Generate(Pages);
        // The scanner searches text its extraction has decoded already.
        _pages.ForEach(page => _ = page.Html.Span.Length);
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int FindSitemapLinks()
    {
        var found = 0;
        foreach (var page in _pages)
        {
            found += SitemapLinks.Find(page.Html.Span, page.FinalUrl).Count;
        }

        return found;
    }
}
