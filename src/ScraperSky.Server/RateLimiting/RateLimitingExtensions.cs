using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.RateLimiting;

public static class RateLimitingExtensions
{
    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Window > TimeSpan.Zero, "RateLimits:Window must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<BatchBudget>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Reads and submissions have budgets of their own, so polling a batch never stops the next submission;
            // /health, the OpenAPI document and local mode are not limited.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/api")
                    || context.RequestServices.GetRequiredService<LocalMode>().IsActiveFor(context))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                return HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter("read:" + ClientKey(context), _ => Window(limits.ReadsPerWindow, limits.Window))
                    : RateLimitPartition.GetFixedWindowLimiter("submit:" + ClientKey(context), _ => Window(limits.SubmissionsPerWindow, limits.Window));
            });
            limiter.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                var reads = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
                var budget = reads ? $"{limits.ReadsPerWindow} reads" : $"{limits.SubmissionsPerWindow} submissions";
                return new ValueTask(TooManyRequests.WriteAsync(http, budget, limits.Window, retryAfter));
            };
        });
        return builder;
    }

    /// A valid key's requests share one budget wherever they come from; everything else is budgeted per client
    /// address, so that inventing a new key per request gains nothing. Runs after authentication.
    internal static string ClientKey(HttpContext context) =>
        context.User.FindFirstValue(TenantClaims.ApiKeyId) is { } keyId
            ? "key:" + keyId
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    internal static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
    };
}

/// The 429 answer: a full ProblemDetails with `Retry-After`.
internal static class TooManyRequests
{
    public const string Type = "https://tools.ietf.org/html/rfc6585#section-4";
    public const string Title = "Too Many Requests";

    public static string Detail(string budget, TimeSpan window, int seconds) =>
        $"Rate limit exceeded: at most {budget} per {Describe(window)}. Retry after {seconds} seconds.";

    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    public static async Task WriteAsync(HttpContext http, string budget, TimeSpan window, TimeSpan retryAfter)
    {
        var seconds = Seconds(retryAfter);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Type = Type,
                Title = Title,
                Status = StatusCodes.Status429TooManyRequests,
                Detail = Detail(budget, window, seconds),
            },
        });
    }

    private static string Describe(TimeSpan window) =>
        window == TimeSpan.FromMinutes(1) ? "minute" : $"{window.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds";
}
