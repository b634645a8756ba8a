using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;
using ScraperSky.Scanning.Mail;
using ScraperSky.Scanning.Robots;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Scanning;

public static class ScanningServiceCollectionExtensions
{
    /// Registers the scanner and what it needs: `Scanning` options (validated at start), the fetcher's named
    /// HttpClient, <see cref="IWebFetcher"/>, <see cref="RobotsPolicy"/>, the extractor with its fingerprint matcher
    /// (singletons, compiled once) and <see cref="IDomainScanner"/>. The fetcher, robots policy and scanner are
    /// transient: resolve them once per scan, so robots.txt already read never outlives the scan. Which hosts lack
    /// https is remembered process-wide for a few minutes (<see cref="HttpsFallbackMemory"/>), and requests in flight per
    /// registrable domain are counted process-wide (<see cref="HostConcurrency"/>).
    public static IServiceCollection AddScanning(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ScanningOptions>()
            .Bind(configuration.GetSection(ScanningOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.UserAgent), "Scanning:UserAgent must not be empty.")
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero, "Scanning:ConnectTimeout must be positive.")
            .Validate(o => o.ResponseTimeout > TimeSpan.Zero, "Scanning:ResponseTimeout must be positive.")
            .Validate(o => o.MaxPageBytes > 0, "Scanning:MaxPageBytes must be positive.")
            .Validate(o => o.MaxRedirects is >= 0 and <= 20, "Scanning:MaxRedirects must be between 0 and 20.")
            .Validate(o => o.ContactPages >= 0, "Scanning:ContactPages must not be negative.")
            .Validate(o => o.ScanDeadline > TimeSpan.Zero && o.ScanDeadline <= TimeSpan.FromDays(1), "Scanning:ScanDeadline must be positive and at most a day.")
            .Validate(o => o.PageCpuBudget > TimeSpan.Zero, "Scanning:PageCpuBudget must be positive.")
            .Validate(o => o.PagesInFlightBytes >= 1024 * 1024, "Scanning:PagesInFlightBytes must be at least 1048576.")
            .Validate(o => o.MaxConcurrentRequestsPerHost >= 1, "Scanning:MaxConcurrentRequestsPerHost must be at least 1.")
            .Validate(o => o.MaxResultBytes >= 16 * 1024, "Scanning:MaxResultBytes must be at least 16384.")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.FingerprintsDirectory) || Directory.Exists(o.FingerprintsDirectory),
                "Scanning:FingerprintsDirectory must name an existing directory.")
            .Validate(
                o => o.HostMap.All(e => !string.IsNullOrWhiteSpace(e.Key) && HostMap.TryParseRoute(e.Value, out _)),
                $"Every Scanning:HostMap:<suffix> value must be {HostMap.ValueFormat}, e.g. 127.0.0.1:5055 or 127.0.0.1:5055 https=127.0.0.1:5056.")
            .Validate(
                o => o.ExtraRootCertificates.All(ExtraRootTrust.IsReadable),
                "Every Scanning:ExtraRootCertificates entry must name a PEM file holding at least one certificate.")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.DnsServer) || MailDomainChecker.TryParseEndpoint(o.DnsServer, out _),
                "Scanning:DnsServer must be <ip> or <ip>:<port>, e.g. 1.1.1.1 or 127.0.0.1:5353.")
            .Validate(o => o.DnsTimeout > TimeSpan.Zero && o.DnsTimeout <= TimeSpan.FromSeconds(30),
                "Scanning:DnsTimeout must be positive and at most 30 seconds.")
            .Validate(o => o.MxCacheDuration >= TimeSpan.Zero, "Scanning:MxCacheDuration must not be negative.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HttpsFallbackMemory>();
        services.TryAddSingleton<HostConcurrency>();

        // The fetcher sends through the handler itself (IHttpMessageHandlerFactory), with its headers on each request.
        services.AddHttpClient(WebFetcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp =>
                WebFetcher.CreateHandler(sp.GetRequiredService<IOptions<ScanningOptions>>().Value))
            // The factory's logging handlers log every request at Information under System.Net.Http.HttpClient.* and
            // catch and rethrow every failure twice each: four more throws per failed https attempt, one per new host.
            // The fetcher logs what a scan needs (the https fallback, redirects) itself, and retries itself (see
            // WebFetcher.SendAsync): a resilience pipeline here rethrew every failed https attempt three more times.
            .RemoveAllLoggers();

        // Fingerprints are compiled once per process: our shipped rules plus the configured directory, if any.
        services.TryAddSingleton(sp => new FingerprintMatcher(
            FingerprintCatalog.Load(sp.GetRequiredService<IOptions<ScanningOptions>>().Value.FingerprintsDirectory)));
        services.TryAddSingleton<HtmlExtractor>();
        services.TryAddSingleton(sp => new ExtractionLane(
            Environment.ProcessorCount, sp.GetRequiredService<IOptions<ScanningOptions>>().Value.PagesInFlightBytes));
        services.TryAddTransient<WordPressFeed>();
        services.TryAddSingleton<MailDomainChecker>();

        services.TryAddTransient<IWebFetcher, WebFetcher>();
        services.TryAddTransient<RobotsPolicy>();
        services.TryAddTransient<IDomainScanner, DomainScanner>();
        services.AddSitemaps(configuration);
        return services;
    }
}
