using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using System.Security.Claims;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.RateLimiting;

public static class RateLimitingExtensions
{
    public const string BatchSubmissions = "batch-submissions";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Window > TimeSpan.Zero, "RateLimits:Window must be positive.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Every API request counts against the overall limit; /health and the OpenAPI document do not.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/api")
                    ? RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => Window(limits.RequestsPerWindow, limits.Window))
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.AddPolicy(BatchSubmissions, context =>
                RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => Window(limits.BatchesPerWindow, limits.Window)));
            limiter.OnRejected = (context, _) => RejectAsync(context, limits);
        });
        return builder;
    }

    /// A valid key's requests share one budget wherever they come from; everything else is budgeted per client
    /// address, so that inventing a new key per request gains nothing. Runs after authentication.
    private static string ClientKey(HttpContext context) =>
        context.User.FindFirstValue(TenantClaims.ApiKeyId) is { } keyId
            ? "key:" + keyId
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
    };

    private static async ValueTask RejectAsync(OnRejectedContext context, RateLimitOptions limits)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problemDetails = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too Many Requests",
                Detail = $"Rate limit exceeded: at most {limits.RequestsPerWindow} requests and {limits.BatchesPerWindow} " +
                         $"batch submissions per {Describe(limits.Window)}. Retry after {seconds} seconds.",
            },
        });
    }

    private static string Describe(TimeSpan window) =>
        window == TimeSpan.FromMinutes(1) ? "minute" : $"{window.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds";
}
