using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace ScraperSky.Server.Errors;

/// A body that cannot be bound (malformed JSON, a field of the wrong type, no body, not JSON) is a 422 with a detail
/// saying what was wrong, as v1 clients expect; never the framework's bare 400.
public sealed partial class RequestBodyExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public const string NotJsonDetail = "The request body must be JSON sent with Content-Type: application/json.";
    private const string ObjectExpectedDetail = "The request body must be a JSON object.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        // A query, route, header or form value that does not convert is the client's 400, naming the parameter;
        // only a body that cannot be read is the 422 v1 clients expect.
        if (UnboundParameter().Match(bad.Message) is { Success: true } unbound)
        {
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(unbound.Groups["name"].Value);
            var type = unbound.Groups["type"].Value.TrimEnd('?');
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails =
                {
                    Status = StatusCodes.Status400BadRequest,
                    Detail = $"Parameter '{name}' is invalid: '{unbound.Groups["value"].Value}' is not {Expected(type)}.",
                },
            });
        }

        var status = bad.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType
            ? StatusCodes.Status422UnprocessableEntity
            : bad.StatusCode;
        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Detail = Describe(bad) },
        });
    }

    private static string Expected(string type) => type switch
    {
        "int" or "long" or "Int32" or "Int64" => "a whole number",
        "bool" or "Boolean" => "true or false",
        "DateTime" or "DateTimeOffset" => "an ISO 8601 date and time",
        "Guid" => "a UUID",
        _ => "a valid " + type,
    };

    // The framework's wording: Failed to bind parameter "int? Limit" from "abc".
    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^ "]+) (?<name>[^"]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex UnboundParameter();

    private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException { Message: var message } json
            when message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) =>
            json.Path is { Length: > 2 } path
                ? $"Field '{path[2..]}' has the wrong type: expected {ExpectedType(message)}."
                : ObjectExpectedDetail,
        JsonException json =>
            $"The request body is not valid JSON (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1}).",
        _ when bad.StatusCode == StatusCodes.Status415UnsupportedMediaType => NotJsonDetail,
        _ when bad.StatusCode == StatusCodes.Status400BadRequest => ObjectExpectedDetail,
        _ => bad.Message,
    };

    private static string ExpectedType(string message) => message switch
    {
        _ when message.Contains("[]", StringComparison.Ordinal) || message.Contains("List", StringComparison.Ordinal) =>
            "an array",
        _ when message.Contains("Int32", StringComparison.Ordinal) => "an integer",
        _ when message.Contains("Guid", StringComparison.Ordinal) => "a UUID",
        _ when message.Contains("String", StringComparison.Ordinal) => "a string",
        _ => "a value of another type",
    };
}
