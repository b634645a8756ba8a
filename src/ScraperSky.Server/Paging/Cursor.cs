using System.Buffers.Text;
using System.Text.Json;

namespace ScraperSky.Server.Paging;

/// Opaque keyset cursors: the sort key of the last row a page returned, as base64url JSON. A cursor stays valid while
/// rows change (unlike page numbers) and each page is one index seek however deep it is.
public static class Cursor
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    public static string Encode<T>(T position) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(position));

    public static bool TryDecode<T>(string? cursor, out T? position) where T : class
    {
        position = null;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 4096)
        {
            return false;
        }

        try
        {
            position = JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(cursor));
            return position is not null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    /// The page size a request asked for, or why it cannot have it.
    public static bool TryLimit(int? limit, int max, out int pageSize, out string? problem)
    {
        pageSize = limit ?? Math.Min(DefaultLimit, max);
        problem = pageSize < 1 || pageSize > max
            ? $"Query parameter 'limit' must be between 1 and {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}."
            : null;
        return problem is null;
    }

    /// What a listing answers to a cursor it cannot read.
    public const string NotThisListing = "Query parameter 'cursor' is not a cursor this listing handed out.";

    /// The page a listing request asks for: its size and the position after which it starts (null for the first page),
    /// or the problem to answer with. A position that decodes but names no row of this listing is the caller's to
    /// reject with <see cref="NotThisListing"/>.
    public static bool TryPage<T>(int? limit, string? cursor, out int pageSize, out T? after, out string? problem) where T : class
    {
        after = null;
        if (!TryLimit(limit, MaxLimit, out pageSize, out problem))
        {
            return false;
        }

        if (cursor is not null && !TryDecode(cursor, out after))
        {
            problem = NotThisListing;
            return false;
        }

        return true;
    }

    public static string Text(string value) => Encode(new TextPosition(value));

    public static bool TryText(string? cursor, out string value)
    {
        value = "";
        if (!TryDecode<TextPosition>(cursor, out var position) || position!.Value is null)
        {
            return false;
        }

        value = position.Value;
        return true;
    }

    /// A position given as one text value (an id, a time, a row number).
    public sealed record TextPosition(string Value);
}
