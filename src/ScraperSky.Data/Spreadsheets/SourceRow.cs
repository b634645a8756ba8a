namespace ScraperSky.Data.Spreadsheets;

/// A row as a file format hands it over: its spreadsheet row number and its cells, before any header is decided.
internal sealed record SourceRow(int Row, string[] Cells)
{
    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}
