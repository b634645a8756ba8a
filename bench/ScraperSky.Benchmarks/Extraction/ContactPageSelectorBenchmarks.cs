using BenchmarkDotNet.Attributes;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Benchmarks.Extraction;

/// The contact-page choice the scanner makes after each homepage, over the links of the corpus's pages (a few hundred
/// each), one homepage per operation: the time and allocated bytes per homepage's links. The links are made afresh
/// each time, as each scan resolves its own, so their resolution is counted too.
[MemoryDiagnoser]
public class ContactPageSelectorBenchmarks
{
    private const int Pages = 32;

    private List<(Uri Home, (string Href, string Text)[] Links)> _homepages = null!;

    [GlobalSetup]
    public void Setup()
    {
        var extractor = new HtmlExtractor(FingerprintMatcher.Shipped);
        _homepages = [.. ExtractionCorpus.Generate(Pages).Select(page =>
            (page.FinalUrl, extractor.Extract(page).Links.Select(link => (link.Href, link.Text)).ToArray()))];
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int SelectFromHomepageLinks()
    {
        var chosen = 0;
        foreach (var (home, links) in _homepages)
        {
            chosen += ContactPageSelector.Select(home, links.Select(l => new PageLink(home, l.Href, l.Text)).ToList(), max: 6).Count;
        }

        return chosen;
    }
}
