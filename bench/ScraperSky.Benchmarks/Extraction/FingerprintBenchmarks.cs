using BenchmarkDotNet.Attributes;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Benchmarks.Extraction;

/// Technology matching alone on the same corpus (raw HTML, headers, cookies, URL; no DOM rules), one page per
/// operation: what the literal prefilter leaves of 7,500 technologies' worth of regexes.
[MemoryDiagnoser]
public class FingerprintBenchmarks
{
    private const int Pages = 32;

    private List<PageSignals> _signals = null!;
    private FingerprintMatcher _large = null!;

    [GlobalSetup]
    public void Setup()
    {
        _signals = [.. ExtractionCorpus.Generate(Pages, syntheticTechnologies: FingerprintSyntheticDataset.Size).Select(Signals)];
        var large = FingerprintCatalog.FromJson(FingerprintSyntheticDataset.Json());
        _large = new FingerprintMatcher(new FingerprintCatalog([.. FingerprintCatalog.Shipped.Rules, .. large.Rules]));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pages)]
    public int ShippedRules() => Run(FingerprintMatcher.Shipped);

    [Benchmark(OperationsPerInvoke = Pages)]
    public int With7500Technologies() => Run(_large);

    /// The literal prefilter alone (one pass over each page), the floor under <see cref="ShippedRules"/>.
    [Benchmark(OperationsPerInvoke = Pages)]
    public int ShippedLiteralPrefilter()
    {
        var found = 0;
        foreach (var page in _signals)
        {
            found += FingerprintMatcher.Shipped.FindLiterals(page).Count(f => f);
        }

        return found;
    }

    private int Run(FingerprintMatcher matcher)
    {
        var found = 0;
        foreach (var page in _signals)
        {
            found += matcher.Detect(page).Count;
        }

        return found;
    }

    private static PageSignals Signals(FetchedPage page) => new()
    {
        Url = page.FinalUrl.AbsoluteUri,
        Html = page.Html.Memory,
        Headers = page.Headers,
    };
}
