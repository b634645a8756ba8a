using Microsoft.AspNetCore.Http.HttpResults;

namespace ScraperSky.Server.Errors;

/// The ProblemDetails answers the endpoints give, each with a `detail` a person can act on.
public static class Problems
{
    public const string BadFormatDetail = "Query parameter 'format' must be json, csv, xlsx or jsonl.";

    public static ProblemHttpResult BadRequest(string detail) => Status(StatusCodes.Status400BadRequest, detail);

    public static ProblemHttpResult BadFormat() => BadRequest(BadFormatDetail);

    public static ProblemHttpResult Forbidden(string detail) => Status(StatusCodes.Status403Forbidden, detail);

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    public static ProblemHttpResult Conflict(string detail) => Status(StatusCodes.Status409Conflict, detail);

    public static ProblemHttpResult Unprocessable(string detail) => Status(StatusCodes.Status422UnprocessableEntity, detail);

    public static ProblemHttpResult Status(int status, string detail) => TypedResults.Problem(statusCode: status, detail: detail);
}
