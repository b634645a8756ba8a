using System.Diagnostics.CodeAnalysis;

namespace ScraperSky.Data;

/// Public ids are a prefix and 32 lower-case hex digits (`scan_1fa3...`); lookups also take the bare UUID.
public static class PublicIds
{
    public static string Format(string prefix, Guid id) => prefix + id.ToString("N");

    public static bool TryParse(string? value, string prefix, [NotNullWhen(true)] out Guid? id)
    {
        id = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var text = value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? value[prefix.Length..] : value;
        if (Guid.TryParseExact(text, "N", out var n) || Guid.TryParseExact(text, "D", out n))
        {
            id = n;
            return true;
        }

        return false;
    }
}
