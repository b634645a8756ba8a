using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Server.OpenApi;

/// What a route can answer besides its typed 200, declared next to the route so the document lists it.
public static class ResponseConventions
{
    /// Each status code as a ProblemDetails answer (`application/problem+json`), the only error body the API sends.
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var statusCode in statusCodes)
        {
            builder.ProducesProblem(statusCode);
        }

        return builder;
    }

    /// The file formats the route streams instead of its JSON when asked by `format` or `Accept`.
    public static TBuilder ProducesFiles<TBuilder>(this TBuilder builder, params TableFormat[] formats)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FileDownloadsMetadata([.. formats]));
}
