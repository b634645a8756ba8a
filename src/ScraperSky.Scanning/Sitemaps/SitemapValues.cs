using System.Globalization;

namespace ScraperSky.Scanning.Sitemaps;

/// Reads the values of sitemap and feed entries leniently: what cannot be understood becomes null, never an error.
internal static class SitemapValues
{
    public const int MaxUrlLength = 2048;

    private static readonly string[] W3CFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
        "yyyy-MM",
        "yyyy",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzzz",
        "yyyy-MM-dd'T'HH:mm:sszzzz",
    ];

    private static readonly string[] ChangeFrequencies = ["always", "hourly", "daily", "weekly", "monthly", "yearly", "never"];

    /// W3C datetime in all its protocol forms (year, month, day, minutes, seconds, fractions; `Z` or an offset), the
    /// usual mistakes (no zone, a space for `T`, `+0100`), and the RFC 822 dates of RSS. No zone means UTC.
    public static DateTimeOffset? ParseDate(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > 64)
        {
            return null;
        }

        if (TryParseCommon(value, out var common))
        {
            var utc = common.ToUniversalTime();
            return utc.Year is >= 1990 and <= 2200 ? utc : null;
        }

        return ParseByFormats(value);
    }

    /// <see cref="ParseDate"/> without its shortcut for the common forms: every form through the format list.
    internal static DateTimeOffset? ParseByFormats(string value)
    {
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(value, W3CFormats, CultureInfo.InvariantCulture, styles, out var parsed)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, styles, out parsed)
            || TryParseRfc822(value, out parsed))
        {
            return parsed.Year is >= 1990 and <= 2200 ? parsed.ToUniversalTime() : null;
        }

        return null;
    }

    /// The two forms nearly every sitemap writes, `2024-02-03` and `2024-02-03T04:05:06` with `Z` or `+01:00`, read
    /// directly: trying the format list in turn was the largest part of reading a sitemap entry. Anything else,
    /// including any value out of range, is left to the format list.
    private static bool TryParseCommon(string value, out DateTimeOffset parsed)
    {
        parsed = default;
        if (value.Length is not (10 or 20 or 25)
            || !TryDigits(value, 0, 4, out var year) || value[4] != '-'
            || !TryDigits(value, 5, 2, out var month) || value[7] != '-'
            || !TryDigits(value, 8, 2, out var day))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        var offset = TimeSpan.Zero;
        if (value.Length > 10)
        {
            if (value[10] != 'T' || !TryDigits(value, 11, 2, out hour) || value[13] != ':'
                || !TryDigits(value, 14, 2, out minute) || value[16] != ':' || !TryDigits(value, 17, 2, out second))
            {
                return false;
            }

            if (value.Length == 20)
            {
                if (value[19] != 'Z')
                {
                    return false;
                }
            }
            else if (value[19] is not ('+' or '-') || !TryDigits(value, 20, 2, out var offsetHours) || value[22] != ':'
                || !TryDigits(value, 23, 2, out var offsetMinutes) || offsetHours > 13 || offsetMinutes > 59)
            {
                return false;
            }
            else
            {
                offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (value[19] == '-' ? -1 : 1);
            }
        }

        // Years far from the accepted range are left to the format list, which also keeps the offset from leaving
        // DateTimeOffset's range.
        if (year is < 1900 or > 2300 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        parsed = new DateTimeOffset(year, month, day, hour, minute, second, offset);
        return true;
    }

    private static bool TryDigits(string value, int start, int count, out int number)
    {
        number = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }

            number = (number * 10) + (value[i] - '0');
        }

        return true;
    }

    // RFC 822 zones as feeds write them ("GMT", "EST", "+0000"), which TryParse does not take after a day name.
    private static bool TryParseRfc822(string value, out DateTimeOffset parsed)
    {
        parsed = default;
        var space = value.LastIndexOf(' ');
        if (space < 0)
        {
            return false;
        }

        var zone = value[(space + 1)..];
        var offset = zone.ToUpperInvariant() switch
        {
            "GMT" or "UT" or "UTC" or "Z" => "+00:00",
            "EST" => "-05:00",
            "EDT" => "-04:00",
            "CST" => "-06:00",
            "CDT" => "-05:00",
            "MST" => "-07:00",
            "MDT" => "-06:00",
            "PST" => "-08:00",
            "PDT" => "-07:00",
            _ when zone.Length == 5 && zone[0] is '+' or '-' => zone[..3] + ":" + zone[3..],
            _ => null,
        };
        if (offset is null)
        {
            return false;
        }

        var rest = value[..space];
        var comma = rest.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            rest = rest[(comma + 1)..];
        }

        return DateTimeOffset.TryParseExact(
            rest.Trim() + " " + offset,
            ["d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yy HH:mm:ss zzz"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces,
            out parsed);
    }

    public static string? ParseChangeFreq(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        foreach (var known in ChangeFrequencies)
        {
            if (value.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }

    public static double? ParsePriority(string? text) =>
        double.TryParse(text?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p)
        && p is >= 0 and <= 1
            ? p
            : null;

    /// An absolute http(s) URL at most 2,048 characters long, else null. Feeds and indexes may use relative links
    /// (resolved against the file); a line of a text sitemap must be a whole URL.
    public static Uri? ParseUrl(string? text, Uri baseUrl, bool allowRelative)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > MaxUrlLength || value.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url)
            && !(allowRelative && Uri.TryCreate(baseUrl, value, out url)))
        {
            return null;
        }

        // On Unix "/path" parses as an absolute file URI; only web URLs count.
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            if (allowRelative && value.StartsWith('/') && Uri.TryCreate(baseUrl, value, out var relative))
            {
                url = relative;
            }
            else
            {
                return null;
            }
        }

        return url.AbsoluteUri.Length <= MaxUrlLength && url.Host.Length > 0 ? url : null;
    }
}
