using Microsoft.AspNetCore.Http.HttpResults;
using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Server.Exports;

/// A list as a file download, written row by row as the rows are read: an export of any size starts at once and
/// keeps the server's memory flat.
public static class TableResults
{
    public static PushStreamHttpResult Stream<T>(
        TableFormat format, IReadOnlyList<TableColumn<T>> columns, IAsyncEnumerable<T> rows, string name,
        CancellationToken cancellationToken) =>
        TypedResults.Stream(
            body => TableWriter.WriteAsync(body, format, columns, rows, cancellationToken),
            format.ContentType(),
            $"{name}{format.FileExtension()}");
}
