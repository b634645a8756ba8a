using System.Globalization;

namespace ScraperSky.Data.Spreadsheets;

/// How a cell value is spelt in text formats, one rule for CSV, XLSX and JSONL: dates as ISO 8601 UTC with `Z`,
/// numbers in the invariant culture, lists joined with "; ".
internal static class TableCell
{
    public const string ListSeparator = "; ";

    // Trailing zeros of the fraction, and the dot with them, are dropped: 2025-02-03T04:05:06Z.
    private const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// The value as text, or null for an empty cell. Numbers and booleans are spelt out too; callers that keep
    /// types (JSONL, XLSX) ask `IsNumberOrBool` first.
    public static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTime d => FormatDate(d),
        DateTimeOffset d => d.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IEnumerable<string?> list => string.Join(ListSeparator, list.Where(item => !string.IsNullOrEmpty(item))),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static bool IsNumber(object? value) =>
        value is byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal;

    // A DateTime that does not say it is local is taken to be UTC already: the database hands dates back unspecified.
    private static string FormatDate(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).ToString(DateFormat, CultureInfo.InvariantCulture);
}
