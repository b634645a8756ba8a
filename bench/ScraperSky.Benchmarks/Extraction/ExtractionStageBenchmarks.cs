using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using BenchmarkDotNet.Attributes;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Benchmarks.Extraction;

/// Each stage of <see cref="HtmlExtractor.Extract"/> alone on the same corpus, one page per operation, so the time of a
/// full extraction can be read as a sum: prescan, parse (into a PageTree; AngleSharp's DOM beside it), tree walk, then what reads the walk's results: JSON-LD,
/// company details, emails, phones, social profiles, language detection (for a page that declares none) and technology
/// matching on the parsed page (DOM rules included; <see cref="FingerprintBenchmarks"/> has matching without a
/// document, against 7,500 technologies).
[MemoryDiagnoser]
public class ExtractionStageBenchmarks
{
    private const int Pages = 32;

    private List<FetchedPage> _corpus = null!;
    private List<string> _parseInputs = null!;
    private List<PageTree.Document> _trees = null!;
    private List<IDocument> _documents = null!;
    private List<string> _texts = null!;
    private List<HtmlExtractor.PageWalk> _walks = null!;
    private List<HtmlPrescan.Result> _prescans = null!;
    private List<string[]> _jsonLd = null!;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = ExtractionCorpus.Generate(Pages, syntheticTechnologies: FingerprintSyntheticDataset.Size);
        _parseInputs = [.. _corpus.Select(page =>
        {
            using var prescan = HtmlPrescan.Prepare(page.Html.Memory);
            return prescan.ParseInput.ToString();
        })];
        var parser = PageTree.Parser(HtmlExtractor.ParserOptions);
        var documentParser = new HtmlParser(HtmlExtractor.ParserOptions);
        _prescans = [.. _corpus.Select(page => HtmlPrescan.Prepare(page.Html.Memory))];
        _trees = [.. _prescans.Select(prescan => PageTree.Parse(parser, documentParser, prescan))];
        _documents = [.. _parseInputs.Select(html => documentParser.ParseDocument(html))];
        _walks = [.. _corpus.Select((page, i) =>
        {
            var walk = new HtmlExtractor.PageWalk(page.FinalUrl, _trees[i].TextLength);
            walk.Visit(_trees[i]);
            return walk;
        })];
        _texts = [.. _walks.Select(walk => walk.Text.Span.ToString())];
        _jsonLd = [.. _documents.Select(document => document.QuerySelectorAll("script[type='application/ld+json']")
            .Select(script => script.TextContent).ToArray())];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }

        foreach (var tree in _trees)
        {
            tree.Dispose();
        }

        foreach (var walk in _walks)
        {
            walk.Dispose();
        }

        foreach (var prescan in _prescans)
        {
            prescan.Dispose();
        }
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Prescan()
    {
        var chars = 0;
        foreach (var page in _corpus)
        {
            using var prescan = HtmlPrescan.Prepare(page.Html.Memory);
            chars += prescan.ParseInput.Length;
        }

        return chars;
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Parse()
    {
        var nodes = 0;
        var parser = PageTree.Parser(HtmlExtractor.ParserOptions);
        var documentParser = new HtmlParser(HtmlExtractor.ParserOptions);
        foreach (var prescan in _prescans)
        {
            using var tree = PageTree.Parse(parser, documentParser, prescan);
            nodes += tree.ChildCount;
        }

        return nodes;
    }

    /// AngleSharp's DOM of the same input, as DOM fingerprint rules get it.
    [Benchmark(OperationsPerInvoke = Pages)]
    public int ParseDocument()
    {
        var elements = 0;
        var parser = new HtmlParser(HtmlExtractor.ParserOptions);
        foreach (var html in _parseInputs)
        {
            // As the extractor does: only the source is disposed (see HtmlExtractor.ExtractPage).
            var document = parser.ParseDocument(html.AsMemory());
            using var source = document.Source;
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
            using var walk = new HtmlExtractor.PageWalk(_corpus[i].FinalUrl, _trees[i].TextLength);
            walk.Visit(_trees[i]);
            links += walk.Links.Count;
        }

        return links;
    }

    /// The walk of a contact page: its links are not read (only a homepage's are chosen from).
    [Benchmark(OperationsPerInvoke = Pages)]
    public int WalkWithoutLinks()
    {
        var elements = 0;
        for (var i = 0; i < Pages; i++)
        {
            using var walk = new HtmlExtractor.PageWalk(_corpus[i].FinalUrl, _trees[i].TextLength, links: false);
            walk.Visit(_trees[i]);
            elements += walk.Performance().TotalElements;
        }

        return elements;
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

    [Benchmark(OperationsPerInvoke = Pages)]
    public int JsonLd()
    {
        var count = 0;
        foreach (var scripts in _jsonLd)
        {
            using var facts = new JsonLdFacts();
            foreach (var json in scripts)
            {
                facts.Add(json);
            }

            count += facts.Telephones.Count;
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Company()
    {
        var count = 0;
        for (var i = 0; i < Pages; i++)
        {
            var walk = _walks[i];
            var text = walk.Text.Span;
            var blocks = new List<string>(walk.ContactBlocks.Count);
            foreach (var block in walk.ContactBlocks)
            {
                blocks.Add(text[block].ToString());
            }

            count += CompanyFinder.Find(text, blocks, isLegalNotice: false, walk.Json, "DE", _corpus[i].FinalUrl.AbsoluteUri) is null ? 0 : 1;
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Social()
    {
        var count = 0;
        foreach (var walk in _walks)
        {
            var social = new SocialCandidates();
            foreach (var sameAs in walk.Json.SameAs)
            {
                social.Add(sameAs, weight: 3);
            }

            foreach (var (url, inChrome) in walk.SocialLinkCandidates)
            {
                social.Add(url, weight: inChrome ? 2 : 1);
            }

            count += social.All().Count;
        }

        return count;
    }

    /// What a page without a language declaration adds: Lingua on the start of its text.
    [Benchmark(OperationsPerInvoke = Pages)]
    public int DetectLanguage()
    {
        var count = 0;
        foreach (var text in _texts)
        {
            count += TextLanguageDetector.Detect(text) is null ? 0 : 1;
        }

        return count;
    }

    [Benchmark(OperationsPerInvoke = Pages)]
    public int Fingerprints()
    {
        var count = 0;
        for (var i = 0; i < Pages; i++)
        {
            var page = _corpus[i];
            var walk = _walks[i];
            count += FingerprintMatcher.Shipped.Detect(new PageSignals
            {
                Url = page.FinalUrl.AbsoluteUri,
                Html = page.Html.Memory,
                ScriptSources = walk.ScriptSources,
                InlineScripts = _prescans[i].InlineScripts,
                Meta = walk.Meta,
                Headers = page.Headers,
                Document = () => _documents[i],
            }).Count;
        }

        return count;
    }
}
