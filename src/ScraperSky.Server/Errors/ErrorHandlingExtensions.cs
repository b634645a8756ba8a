namespace ScraperSky.Server.Errors;

public static class ErrorHandlingExtensions
{
    /// Every error is ProblemDetails with a `detail`; binding failures throw so that they reach the handler above.
    public static WebApplicationBuilder AddApiErrors(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // A body that is not JSON at all is as malformed as broken JSON: v1 answers both with 422.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                context.ProblemDetails.Status = StatusCodes.Status422UnprocessableEntity;
                context.ProblemDetails.Title = "Unprocessable Entity";
                context.ProblemDetails.Type = "https://tools.ietf.org/html/rfc4918#section-11.2";
                context.ProblemDetails.Detail = RequestBodyExceptionHandler.NotJsonDetail;
            }

            context.ProblemDetails.Detail ??= context.ProblemDetails.Title;
        });
        builder.Services.AddExceptionHandler<RequestBodyExceptionHandler>();
        builder.Services.AddExceptionHandler<QueueLimitExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }
}
