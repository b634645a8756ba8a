using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Benchmarks.Fetching;

/// What the https-first rule costs against an http-only host (the fleet): a fetcher with no memory of the host pays
/// one failed TLS handshake per request; once the host is in <see cref="HttpsFallbackMemory"/> it goes straight to http.
[MemoryDiagnoser]
public class FetchBenchmarks
{
    private static readonly Uri Https = new("https://basic.test/");
    private static readonly Uri Http = new("http://basic.test/");

    private TestSiteFleet _fleet = null!;
    private ServiceProvider _services = null!;
    private IWebFetcher _warmFetcher = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fleet = await TestSiteFleet.StartAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Scanning:HostMap:test"] = _fleet.HostMapValue })
            .Build();
        _services = new ServiceCollection().AddScanning(configuration).BuildServiceProvider();
        _warmFetcher = _services.GetRequiredService<IWebFetcher>();
        await _warmFetcher.GetPageAsync(Https, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        await _fleet.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public Task<FetchedPage> KnownHttpOnlyHost() => _warmFetcher.GetPageAsync(Https, CancellationToken.None);

    [Benchmark]
    public Task<FetchedPage> HttpsAttemptThenHttp() => ForgetfulFetcher().GetPageAsync(Https, CancellationToken.None);

    [Benchmark]
    public Task<FetchedPage> HttpUrlUpgradedFirst() => ForgetfulFetcher().GetPageAsync(Http, CancellationToken.None);

    private WebFetcher ForgetfulFetcher() =>
        ActivatorUtilities.CreateInstance<WebFetcher>(_services, new HttpsFallbackMemory(TimeProvider.System));
}
