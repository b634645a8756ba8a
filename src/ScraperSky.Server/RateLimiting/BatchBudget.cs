using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.RateLimiting;

/// The batch budget per key (or client address): taken by a batch, an upload or a retry only once the request has
/// passed validation, so a refused submission costs nothing. Local mode has no budget.
public sealed class BatchBudget(IOptions<RateLimitOptions> options, LocalMode localMode) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => RateLimitingExtensions.Window(options.Value.BatchesPerWindow, options.Value.Window)));

    /// Null when the budget allowed it; otherwise the 429 to answer with (its `Retry-After` header is set).
    public ProblemHttpResult? TryTake(HttpContext context)
    {
        if (localMode.IsActiveFor(context))
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(RateLimitingExtensions.ClientKey(context));
        if (lease.IsAcquired)
        {
            return null;
        }

        var limits = options.Value;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
        var seconds = TooManyRequests.Seconds(retryAfter);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            type: TooManyRequests.Type,
            title: TooManyRequests.Title,
            detail: TooManyRequests.Detail($"{limits.BatchesPerWindow} batches", limits.Window, seconds));
    }

    public void Dispose() => _limiter.Dispose();
}
