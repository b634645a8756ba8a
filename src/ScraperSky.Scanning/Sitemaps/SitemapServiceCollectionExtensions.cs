using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScraperSky.Scanning.Sitemaps;

public static class SitemapServiceCollectionExtensions
{
    /// The `Sitemaps` options (validated at start) and the <see cref="SitemapCollector"/>, transient like the fetcher.
    public static IServiceCollection AddSitemaps(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SitemapOptions>()
            .Bind(configuration.GetSection(SitemapOptions.Section))
            .Validate(o => o.MaxUrlsPerFile >= 1, "Sitemaps:MaxUrlsPerFile must be at least 1.")
            .Validate(o => o.MaxBytesPerFile >= 1024, "Sitemaps:MaxBytesPerFile must be at least 1024.")
            .Validate(o => o.MaxIndexDepth >= 0, "Sitemaps:MaxIndexDepth must not be negative.")
            .Validate(o => o.MaxUrlsPerDomain >= 1, "Sitemaps:MaxUrlsPerDomain must be at least 1.")
            .Validate(o => o.MaxFilesPerDomain >= 1, "Sitemaps:MaxFilesPerDomain must be at least 1.")
            .Validate(o => o.FileTimeout > TimeSpan.Zero, "Sitemaps:FileTimeout must be positive.")
            .Validate(o => o.MaxConcurrentFiles is >= 1 and <= 32, "Sitemaps:MaxConcurrentFiles must be between 1 and 32.")
            .Validate(o => o.BatchSize >= 1, "Sitemaps:BatchSize must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<SitemapCollector>();
        return services;
    }
}
