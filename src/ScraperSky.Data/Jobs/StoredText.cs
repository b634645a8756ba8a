using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Jobs;

/// Text we store but did not write ourselves: what sites sent and what users typed. PostgreSQL refuses NUL characters
/// in text and the `\u0000` escape in jsonb, so one hostile page or entry would otherwise make a row unstorable.
internal static partial class StoredText
{
    public static string? Clean(string? value) =>
        value is null || !value.Contains('\0', StringComparison.Ordinal) ? value : value.Replace("\0", "", StringComparison.Ordinal);

    public static List<string> Clean(IEnumerable<string> values) => [.. values.Select(v => Clean(v)!)];

    public static string Json<T>(T value) => CleanJson(JsonSerializer.Serialize(value, ScanJson.Options));

    /// JSON text without escaped NULs, which PostgreSQL's jsonb refuses.
    public static string CleanJson(string json) =>
        json.Contains("\\u0000", StringComparison.Ordinal) ? EscapedNul().Replace(json, "$1") : json;

    /// UTF-8 JSON without escaped NULs, as <see cref="CleanJson(string)"/>; the same array when it has none.
    public static byte[] CleanJson(byte[] json) =>
        json.AsSpan().IndexOf("\\u0000"u8) < 0 ? json : Encoding.UTF8.GetBytes(CleanJson(Encoding.UTF8.GetString(json)));

    /// An invalid entry is stored and shown as the user sent it, except what a database cannot hold: control
    /// characters (PostgreSQL refuses NUL in text) and broken surrogates become U+FFFD, and it is cut to the column size.
    public static string Entry(string entry, int maxLength)
    {
        var text = new StringBuilder(Math.Min(entry.Length, maxLength));
        foreach (var rune in entry.EnumerateRunes())
        {
            var safe = Rune.IsControl(rune) ? Rune.ReplacementChar : rune;
            if (text.Length + safe.Utf16SequenceLength > maxLength)
            {
                break;
            }

            text.Append(safe.ToString());
        }

        return text.ToString();
    }

    // An escaped NUL is `\u0000` after an even number of backslashes; `\\u0000` is a backslash and the text "u0000".
    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000")]
    private static partial Regex EscapedNul();
}
