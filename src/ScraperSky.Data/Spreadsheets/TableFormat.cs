namespace ScraperSky.Data.Spreadsheets;

/// The file formats a list can be exported as; plain JSON is the endpoints' own business and has no member here.
public enum TableFormat
{
    Csv,
    Xlsx,
    Jsonl,
}
