using Microsoft.AspNetCore.Http.HttpResults;

namespace ScraperSky.Server.Health;

public static class HealthEndpoints
{
    public sealed record HealthResponse(string Status);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", GetHealth).WithTags("Health").AllowAnonymous()
            .WithSummary("Whether the server is up")
            .WithDescription("Answers `{\"status\":\"healthy\"}` while the server runs; it needs no API key and is not rate " +
                             "limited.");
        return endpoints;
    }

    private static Ok<HealthResponse> GetHealth() => TypedResults.Ok(new HealthResponse("healthy"));
}
