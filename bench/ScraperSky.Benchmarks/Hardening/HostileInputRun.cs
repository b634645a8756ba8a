using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;
using ScraperSky.Scanning.Robots;
using ScraperSky.Scanning.Sitemaps;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Benchmarks.Hardening;

/// The hostile inputs of the hardening review (issue 11), one per process run, with the process's CPU time and peak
/// RSS (VmHWM) for the note. Uses only APIs the scanner had before the hardening, so the same file measures both:
///
///   dotnet run -c Release --project bench/ScraperSky.Benchmarks -- hostile-inputs &lt;input&gt; [size]
///
/// Inputs: `quadratic-html [repeats=80000]` (`&lt;q&gt;&lt;/zz&gt;` repeated, extracted), `deep-divs [100000]`,
/// `self-closed-divs [100000]`, `deep-xml [5000000]` (a gzip sitemap of that many unclosed elements, parsed, plus
/// the summary JSON its error makes), `robots-wildcards [500000]` (that many bytes of `/*a*a*…b` rules, parsed and
/// one 2,000-character path checked), `huge-result [20000]` (a page of that many addresses scanned from the fleet;
/// prints the result's JSON size), `slow-index [60]` (a scan of an index of 10,000 slow children from the fleet,
/// stopped after that many seconds if it has not ended; prints whether it ended by itself), `corpus [40]` (ordinary
/// pages of the extraction benchmarks, CPU per page: what the hardening costs a normal page).
public static class HostileInputRun
{
    public const string Command = "hostile-inputs";

    public static async Task<int> RunAsync(string[] args)
    {
        var input = args.Length > 0 ? args[0] : "quadratic-html";
        int Size(int fallback) => args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : fallback;
        var started = Stopwatch.GetTimestamp();
        string outcome;
        try
        {
            outcome = input switch
            {
                "quadratic-html" => Extract(Repeat("<q></zz>", Size(80_000))),
                "deep-divs" => Extract(Repeat("<div>", Size(100_000))),
                "self-closed-divs" => Extract(Repeat("<div/>", Size(100_000))),
                "deep-xml" => await DeepXmlAsync(Size(5_000_000)),
                "robots-wildcards" => Robots(Size(500_000)),
                "huge-result" => await HugeResultAsync(),
                "slow-index" => await SlowIndexAsync(Size(60)),
                "corpus" => Corpus(Size(40)),
                _ => throw new ArgumentException($"unknown input {input}"),
            };
        }
        catch (Exception e)
        {
            outcome = $"{e.GetType().Name}: {Short(e.Message)}";
        }

        var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{input}: {outcome}; cpu {process.TotalProcessorTime.TotalSeconds:0.00} s, wall {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s, peak RSS {PeakRssMiB():0} MiB"));
        return 0;
    }

    private static string Extract(string body)
    {
        var html = "<!doctype html><html><head><title>Hostile</title></head><body>" + body + "</body></html>";
        var url = new Uri("https://hostile.test/");
        var page = new FetchedPage
        {
            RequestedUrl = url,
            FinalUrl = url,
            StatusCode = 200,
            Headers = new Dictionary<string, IReadOnlyList<string>>(),
            Html = PageText.Of(html),
            Bytes = html.Length,
        };
        var extraction = new HtmlExtractor(FingerprintMatcher.Shipped).Extract(page);
        return $"{html.Length / 1024} KiB page extracted, title {extraction.Title}, {extraction.Performance.TotalElements} elements";
    }

    /// Ordinary pages (the extraction benchmarks' corpus, ~250 KB each), for what the hardening costs a normal page.
    private static string Corpus(int count)
    {
        var pages = ScraperSky.Benchmarks.Extraction.ExtractionCorpus.Generate(count);
        var extractor = new HtmlExtractor(FingerprintMatcher.Shipped);
        foreach (var page in pages)
        {
            extractor.Extract(page);
        }

        var before = Process.GetCurrentProcess().TotalProcessorTime;
        for (var round = 0; round < 3; round++)
        {
            foreach (var page in pages)
            {
                extractor.Extract(page);
            }
        }

        var perPage = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / (3 * count);
        return string.Create(CultureInfo.InvariantCulture, $"{count} corpus pages, {perPage:0.00} ms of CPU per page after a warm-up");
    }

    private static async Task<string> DeepXmlAsync(int elements)
    {
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://x.test/a</loc></url>"u8);
            var chunk = Encoding.ASCII.GetBytes(Repeat("<a>", 10_000));
            for (var i = 0; i < elements / 10_000; i++)
            {
                gzip.Write(chunk);
            }
        }

        var size = gzipped.Length;
        gzipped.Position = 0;
        var result = await new SitemapParser(new SitemapOptions()).ParseAsync(gzipped, new Uri("https://x.test/sitemap.xml.gz"), Discard.Instance, 50_000, CancellationToken.None);
        var summary = new SitemapSummary { Files = 1, Urls = result.UrlCount, Errors = result.Error is null ? [] : [$"https://x.test/sitemap.xml.gz: {result.Error}"] };
        var json = JsonSerializer.Serialize(summary, ScanJson.Options);
        return $"{size / 1024} KiB of gzip, {result.UrlCount} URL, error of {result.Error?.Length ?? 0} characters, summary JSON {json.Length / 1024} KiB";
    }

    private static string Robots(int bytes)
    {
        var text = new StringBuilder("User-agent: *\n");
        var pattern = "/" + string.Concat(Enumerable.Repeat("*a", 100)) + "*b";
        while (text.Length < bytes - pattern.Length - 20)
        {
            text.Append("Disallow: ").Append(pattern).Append('\n');
        }

        var parsed = Stopwatch.GetTimestamp();
        var rules = RobotsTxt.Parse(text.ToString()).ForAgent("ScraperSky");
        var parseMs = Stopwatch.GetElapsedTime(parsed).TotalMilliseconds;
        var path = "/" + new string('a', 2000);
        var allowed = rules.IsAllowed(path);
        var checkedAt = Stopwatch.GetTimestamp();
        for (var i = 0; i < 5; i++)
        {
            rules.IsAllowed(path);
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{text.Length / 1024} KiB of rules parsed in {parseMs:0} ms, a check of a 2,000-character path {Stopwatch.GetElapsedTime(checkedAt).TotalMilliseconds / 5:0.0} ms (allowed: {allowed}; six checks in all)");
    }

    private static async Task<string> HugeResultAsync()
    {
        await using var fleet = await TestSiteFleet.StartAsync();
        using var services = Services(fleet, []);
        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "huge-result.hostile.test", IncludeSitemaps = false }, null, CancellationToken.None);
        return $"{metadata.ContactInfo.Email.Count} addresses kept, result JSON {JsonSerializer.SerializeToUtf8Bytes(metadata, ScanJson.Options).Length / 1024} KiB";
    }

    private static async Task<string> SlowIndexAsync(int seconds)
    {
        await using var fleet = await TestSiteFleet.StartAsync();
        using var services = Services(fleet, []);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            var metadata = await services.GetRequiredService<IDomainScanner>()
                .ScanAsync(new ScanRequest { Domain = "slow-index.hostile.test" }, null, stop.Token);
            var json = JsonSerializer.Serialize(metadata, ScanJson.Options);
            var partial = json.Contains("\"partial\":true", StringComparison.Ordinal);
            return $"ended by itself, partial: {partial}, {metadata.Sitemaps?.Files} sitemap files read";
        }
        catch (OperationCanceledException)
        {
            return $"still running after {seconds} s, stopped";
        }
    }

    private static ServiceProvider Services(TestSiteFleet fleet, Dictionary<string, string?> settings)
    {
        settings["Scanning:HostMap:test"] = fleet.HostMapValue;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddScanning(configuration).BuildServiceProvider();
    }

    private static string Repeat(string value, int times) => new StringBuilder(value.Length * times).Insert(0, value, times).ToString();

    private static string Short(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static double PeakRssMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
    }

    private sealed class Discard : ISitemapUrlHandler
    {
        public static readonly Discard Instance = new();

        public ValueTask OnUrlAsync(SitemapUrlEntry url, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
