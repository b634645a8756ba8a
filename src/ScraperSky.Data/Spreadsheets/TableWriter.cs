namespace ScraperSky.Data.Spreadsheets;

/// Writes a list as CSV, XLSX or JSON Lines, streamed: each row is written as it is read, so an export of 100,000
/// rows starts at once and keeps memory flat. `output` may be a non-seekable stream that forbids synchronous writes
/// (an ASP.NET response body). The same column list serves all three formats.
public static class TableWriter
{
    public static Task WriteAsync<T>(
        Stream output,
        TableFormat format,
        IReadOnlyList<TableColumn<T>> columns,
        IAsyncEnumerable<T> rows,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        return format switch
        {
            TableFormat.Csv => CsvTableWriter.WriteAsync(output, columns, rows, cancellationToken),
            TableFormat.Xlsx => XlsxTableWriter.WriteAsync(output, columns, rows, cancellationToken),
            TableFormat.Jsonl => JsonlTableWriter.WriteAsync(output, columns, rows, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }
}
