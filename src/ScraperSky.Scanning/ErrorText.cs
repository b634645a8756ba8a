using System.Text;

namespace ScraperSky.Scanning;

/// Keeps every error the scanner stores or returns short and ours: a few hundred characters at most, one line, no
/// control characters. Errors are copied into job rows, sitemap file rows and scan summaries and returned by every
/// status poll, so text a hostile site controls (a parser's message listing a million open elements, a 60 KB
/// redirect target) must not grow them.
public static class ErrorText
{
    public const int MaxLength = 300;

    /// A URL as it appears inside an error: cut to <paramref name="max"/> characters.
    public const int MaxUrlLength = 120;

    public static string Cap(string? text, int max = MaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var clean = true;
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                clean = false;
                break;
            }
        }

        if (clean && text.Length <= max)
        {
            return text;
        }

        var builder = new StringBuilder(Math.Min(text.Length, max));
        foreach (var c in text)
        {
            if (builder.Length == max - 1)
            {
                return builder.Append('…').ToString();
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    public static string Url(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Cap(url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString, MaxUrlLength);
    }

    public static string Url(string url) => Cap(url, MaxUrlLength);
}
