using System.Text.Json;
using System.Text.RegularExpressions;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Jobs;

/// PostgreSQL refuses NUL characters in text and the `\u0000` escape in jsonb. Scraped text is whatever a site sent,
/// so NULs are dropped before storing; otherwise one hostile page would make its scan result unstorable.
internal static partial class StoredText
{
    public static string? Clean(string? value) =>
        value is null || !value.Contains('\0', StringComparison.Ordinal) ? value : value.Replace("\0", "", StringComparison.Ordinal);

    public static List<string> Clean(IEnumerable<string> values) => [.. values.Select(v => Clean(v)!)];

    public static string Json<T>(T value)
    {
        var json = JsonSerializer.Serialize(value, ScanJson.Options);
        return json.Contains("\\u0000", StringComparison.Ordinal) ? EscapedNul().Replace(json, "$1") : json;
    }

    // An escaped NUL is `\u0000` after an even number of backslashes; `\\u0000` is a backslash and the text "u0000".
    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000")]
    private static partial Regex EscapedNul();
}
