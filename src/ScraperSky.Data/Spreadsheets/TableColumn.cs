namespace ScraperSky.Data.Spreadsheets;

/// One column of an export: its header (snake_case, as it should appear in the file) and how a row yields its value.
/// A value may be null, a string, a bool, a number, a date, a Guid or a list of strings (see `TableCell`).
public sealed record TableColumn<T>(string Name, Func<T, object?> Value);
