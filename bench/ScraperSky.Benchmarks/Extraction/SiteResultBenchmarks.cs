using BenchmarkDotNet.Attributes;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Benchmarks.Extraction;

/// A domain's result built from its extracted homepage and contact page (`SiteResult.Build`, run on the thread pool
/// for every scan): each corpus page as a homepage with the next one as its contact page, one scan per operation.
[MemoryDiagnoser]
public class SiteResultBenchmarks
{
    private const int Scans = 32;

    private List<PageExtraction> _pages = null!;

    [GlobalSetup]
    public void Setup()
    {
        var extractor = new HtmlExtractor(FingerprintMatcher.Shipped);
        _pages = [.. ExtractionCorpus.Generate(Scans).Select(page => extractor.Extract(page))];
    }

    [Benchmark(OperationsPerInvoke = Scans)]
    public int Build()
    {
        var count = 0;
        for (var i = 0; i < Scans; i++)
        {
            count += SiteResult.Build(_pages[i], [_pages[(i + 1) % Scans]]).Technologies.Count;
        }

        return count;
    }
}
