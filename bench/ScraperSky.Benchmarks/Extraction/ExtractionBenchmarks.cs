using BenchmarkDotNet.Attributes;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Benchmarks.Extraction;

/// Extraction of realistic ~250 KB pages, one page per operation (so the mean is time per page and the allocated
/// column is bytes per page): with our shipped rules, and with a 7,500-technology dataset loaded as well.
/// Targets: at least 300 pages/s per core (3.3 ms) shipped, at least 100 pages/s (10 ms) with 7,500 technologies.
/// The corpus declares its language; <see cref="ShippedRulesUndeclaredLanguage"/> runs the same pages without a
/// declaration, so the language is detected from each page's text as well.
[MemoryDiagnoser]
public class ExtractionBenchmarks
{
    internal const int Pages = 32;

    private List<FetchedPage> _corpus = null!;
    private List<FetchedPage> _undeclared = null!;
    private HtmlExtractor _shipped = null!;
    private HtmlExtractor _large = null!;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = ExtractionCorpus.Generate(Pages, syntheticTechnologies: FingerprintSyntheticDataset.Size);
        _undeclared = ExtractionCorpus.Generate(Pages, syntheticTechnologies: FingerprintSyntheticDataset.Size, declareLanguage: false);
        _shipped = new HtmlExtractor(FingerprintMatcher.Shipped);
        var large = FingerprintCatalog.FromJson(FingerprintSyntheticDataset.Json());
        _large = new HtmlExtractor(new FingerprintMatcher(new FingerprintCatalog([.. FingerprintCatalog.Shipped.Rules, .. large.Rules])));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pages)]
    public int ShippedRules() => Run(_shipped);

    [Benchmark(OperationsPerInvoke = Pages)]
    public int ShippedRulesUndeclaredLanguage() => Run(_shipped, _undeclared);

    [Benchmark(OperationsPerInvoke = Pages)]
    public int With7500Technologies() => Run(_large);

    /// The floor under both: AngleSharp's parse of the same pages, nothing else.
    [Benchmark(OperationsPerInvoke = Pages)]
    public int AngleSharpParseOnly()
    {
        var elements = 0;
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        foreach (var page in _corpus)
        {
            using var document = parser.ParseDocument(page.Html.ToString());
            elements += document.All.Length;
        }

        return elements;
    }

    private int Run(HtmlExtractor extractor, List<FetchedPage>? corpus = null)
    {
        var found = 0;
        foreach (var page in corpus ?? _corpus)
        {
            found += extractor.Extract(page).Technologies.Count;
        }

        return found;
    }
}
