using System.ComponentModel.DataAnnotations;

namespace ScraperSky.Server.RateLimiting;

/// The `RateLimits` configuration section: budgets per API key, or per client address for requests without one.
/// Local mode (one user on this machine) has none.
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// GET requests: listings, status polls, exports.
    [Range(1, int.MaxValue)]
    public int ReadsPerWindow { get; set; } = 1_200;

    /// Everything else: scans, batches, uploads, rescans, cancel and retry.
    [Range(1, int.MaxValue)]
    public int SubmissionsPerWindow { get; set; } = 60;

    /// Accepted batches (lists and uploads) and retries; a submission refused for its content does not count.
    [Range(1, int.MaxValue)]
    public int BatchesPerWindow { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
