using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using BenchmarkDotNet.Attributes;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Benchmarks.Extraction;

/// Each stage of <see cref="HtmlExtractor.Extract"/> alone on the same corpus, one page per operation, so the time of a
/// full extraction can be read as a sum: prescan, AngleSharp parse, tree walk, email and phone finding over the page
/// text (fingerprint matching is <see cref="FingerprintBenchmarks"/>).
[MemoryDiagnoser]
public class ExtractionStageBenchmarks
{
    private const int Pages = 32;

    private List<FetchedPage> _corpus = null!;
    private List<string> _parseInputs = null!;
    private List<IDocument> _documents = null!;
    private List<string> _texts = null!;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = ExtractionCorpus.Generate(Pages, syntheticTechnologies: FingerprintSyntheticDataset.Size);
        _parseInputs = [.. _corpus.Select(page =>
        {
            using var prescan = HtmlPrescan.Prepare(page.Html);
            return prescan.ParseInput.ToString();
        })];
        var parser = new HtmlParser(HtmlExtractor.ParserOptions);
        _documents = [.. _parseInputs.Select(html => parser.ParseDocument(html))];
        _texts = [.. _corpus.Select((page, i) =>
        {
            using var walk = new HtmlExtractor.PageWalk(page.FinalUrl, _parseInputs[i].Length);
            walk.Visit(_documents[i]);
            return walk.Text.Span.ToString();
        })];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Prescan()
    {
        var chars = 0;
        foreach (var page in _corpus)
        {
            using var prescan = HtmlPrescan.Prepare(page.Html);
            chars += prescan.ParseInput.Length;
        }

        return chars;
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Parse()
    {
        var elements = 0;
        var parser = new HtmlParser(HtmlExtractor.ParserOptions);
        foreach (var html in _parseInputs)
        {
            using var document = parser.ParseDocument(html.AsMemory());
            elements += document.All.Length;
        }

        return elements;
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Walk()
    {
        var links = 0;
        for (var i = 0; i < Pages; i++)
        {
            using var walk = new HtmlExtractor.PageWalk(_corpus[i].FinalUrl, _parseInputs[i].Length);
            walk.Visit(_documents[i]);
            links += walk.Links.Count;
        }

        return links;
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Emails()
    {
        var count = 0;
        foreach (var text in _texts)
        {
            var found = new List<string>();
            EmailFinder.FindIn(text, found);
            count += found.Count;
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Phones()
    {
        var count = 0;
        foreach (var text in _texts)
        {
            var found = new List<PhoneNumberInfo>();
            PhoneFinder.FindIn(text, "DE", found);
            count += found.Count;
        }

        return count;
    }
}
