using Microsoft.AspNetCore.Http.HttpResults;

namespace ScraperSky.Server.Health;

public static class HealthEndpoints
{
    public sealed record HealthResponse(string Status);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", GetHealth).WithTags("Health").AllowAnonymous();
        return endpoints;
    }

    private static Ok<HealthResponse> GetHealth() => TypedResults.Ok(new HealthResponse("healthy"));
}
