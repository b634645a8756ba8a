using BenchmarkDotNet.Attributes;
using ScraperSky.Scanning.Sitemaps;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Benchmarks.Sitemaps;

/// A full 50,000-URL sitemap (~10 MB, the protocol's per-file maximum) parsed from memory, plain and gzipped.
/// Targets: at most 0.25 s and 64 MB allocated per parse.
[MemoryDiagnoser]
public class SitemapParserBenchmarks
{
    private const string Host = "u50000.sm-gen.test";
    private static readonly Uri FileUrl = new($"https://{Host}/sitemap.xml");

    private readonly SitemapParser _parser = new(new SitemapOptions());
    private byte[] _xml = null!;
    private byte[] _gzip = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        using var xml = new MemoryStream();
        await SitemapSites.WriteUrlSetAsync(xml, Host, 0, 50_000, CancellationToken.None);
        _xml = xml.ToArray();
        using var gzip = new MemoryStream();
        await using (var compressor = new System.IO.Compression.GZipStream(gzip, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            await compressor.WriteAsync(_xml);
        }

        _gzip = gzip.ToArray();
        Console.WriteLine($"// sitemap: {_xml.Length:N0} bytes, {_gzip.Length:N0} gzipped");
    }

    [Benchmark(Baseline = true)]
    public Task<int> Parse50000Urls() => ParseAsync(_xml);

    [Benchmark]
    public Task<int> Parse50000UrlsGzipped() => ParseAsync(_gzip);

    private async Task<int> ParseAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var counter = new Counter();
        var result = await _parser.ParseAsync(stream, FileUrl, counter, 50_000, CancellationToken.None);
        if (result.UrlCount != 50_000 || counter.Count != 50_000)
        {
            throw new InvalidOperationException($"Parsed {result.UrlCount} URLs: {result.Error}");
        }

        return counter.Count;
    }

    private sealed class Counter : ISitemapUrlHandler
    {
        public int Count { get; private set; }

        public ValueTask OnUrlAsync(SitemapUrlEntry url, CancellationToken cancellationToken)
        {
            Count++;
            return ValueTask.CompletedTask;
        }
    }
}
