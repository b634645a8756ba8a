using Microsoft.AspNetCore.Diagnostics;
using ScraperSky.Data.Jobs;

namespace ScraperSky.Server.Errors;

/// A tenant whose queue is full is told so with a 429: the limit, how many of its jobs wait, and that nothing was
/// stored. No Retry-After: the queue drains at the pace of the scans, not of a clock.
public sealed class QueueLimitExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not QueueLimitExceededException full || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too Many Requests",
                Detail = full.Message,
            },
        });
    }
}
