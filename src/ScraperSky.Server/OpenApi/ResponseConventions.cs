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

/// The file formats a route can answer its 200 with; <see cref="FileDownloadsTransformer"/> puts them in the document.
public sealed record FileDownloadsMetadata(IReadOnlyList<TableFormat> Formats)
{
    public IEnumerable<string> MediaTypes => Formats.Select(f => f switch
    {
        TableFormat.Csv => TableFormats.CsvMediaType,
        TableFormat.Xlsx => TableFormats.XlsxMediaType,
        TableFormat.Jsonl => TableFormats.JsonlMediaType,
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, null),
    });
}
