using System.ComponentModel.DataAnnotations;

namespace ScraperSky.Server.RateLimiting;

/// The `RateLimits` configuration section: limits per API key, or per client address for requests without one.
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    [Range(1, int.MaxValue)]
    public int RequestsPerWindow { get; set; } = 60;

    [Range(1, int.MaxValue)]
    public int BatchesPerWindow { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
