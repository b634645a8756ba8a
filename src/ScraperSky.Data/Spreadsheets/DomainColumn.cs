using System.Globalization;
using ScraperSky.Scanning.Domains;

namespace ScraperSky.Data.Spreadsheets;

/// Finds the column of a table that holds the domains: the one the user named, else the first whose header reads like
/// a website column, else the first whose values mostly are domains.
internal static class DomainColumn
{
    private const int ValueSample = 200;

    // Compared with case, spaces, underscores, hyphens and dots removed. English, German, French, Spanish, Italian.
    private static readonly HashSet<string> HeaderNames = new(StringComparer.Ordinal)
    {
        "domain", "domains", "domainname", "website", "websites", "websiteurl", "url", "urls", "web", "homepage",
        "companywebsite", "companydomain", "companyurl", "site", "siteurl", "weburl", "www",
        "webseite", "internetseite", "internetadresse", "webadresse", "siteweb", "siteinternet", "sitioweb",
        "paginaweb", "páginaweb", "dominio", "sitoweb", "domaine", "nomdedomaine",
    };

    public static bool IsHeaderName(string text) => HeaderNames.Contains(Key(text));

    public static bool LooksLikeDomain(string text) => DomainName.TryNormalize(text, out _);

    /// The 0-based index of the column `column` names: a header (ignoring case), else a 1-based number or a letter
    /// as a spreadsheet labels columns. Null when it names none of these.
    public static int? Named(string column, IReadOnlyList<string>? headers, int width)
    {
        var name = column.Trim();
        if (headers is not null)
        {
            for (var i = 0; i < headers.Count; i++)
            {
                if (string.Equals(headers[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }

        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 && number <= width ? number - 1 : null;
        }

        if (name.Length is >= 1 and <= 3 && name.All(char.IsAsciiLetter))
        {
            var index = Letters(name);
            return index < width ? index : null;
        }

        return null;
    }

    public static int? ByHeader(IReadOnlyList<string> headers)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (IsHeaderName(headers[i]))
            {
                return i;
            }
        }

        return null;
    }

    /// The first column in which at least half of the non-blank values (of the first few hundred rows) are domains.
    public static int? ByValues(IReadOnlyList<string[]> rows, int width)
    {
        for (var column = 0; column < width; column++)
        {
            var seen = 0;
            var domains = 0;
            foreach (var row in rows)
            {
                if (column >= row.Length || string.IsNullOrWhiteSpace(row[column]))
                {
                    continue;
                }

                seen++;
                if (LooksLikeDomain(row[column]))
                {
                    domains++;
                }

                if (seen == ValueSample)
                {
                    break;
                }
            }

            if (seen > 0 && domains * 2 >= seen)
            {
                return column;
            }
        }

        return null;
    }

    /// A column as a spreadsheet labels it: 0 is A, 26 is AA.
    public static string Letter(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }

    private static int Letters(string name)
    {
        var index = 0;
        foreach (var c in name)
        {
            index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return index - 1;
    }

    private static string Key(string text)
    {
        Span<char> buffer = stackalloc char[Math.Min(text.Length, 64)];
        var length = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '_' or '-' or '.' or '\u00A0' || char.IsWhiteSpace(c))
            {
                continue;
            }

            if (length == buffer.Length)
            {
                return "";
            }

            buffer[length++] = char.ToLowerInvariant(c);
        }

        return new string(buffer[..length]);
    }
}
