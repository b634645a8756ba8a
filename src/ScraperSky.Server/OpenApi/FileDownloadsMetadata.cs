using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Server.OpenApi;

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
