using System.Buffers;
using System.Globalization;
using System.Net;

namespace ScraperSky.Scanning.Sitemaps;

/// The `<link rel="sitemap" href="...">` targets of a homepage. Only the document head is looked at (links of this kind
/// live there), so this stays a small pass beside the page's real parse. Tags and attributes are read by a scanner of
/// their own in one linear pass: the non-backtracking regular expressions it replaces (`<(link|base)\b([^<>]*)>`, then
/// `([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)` over each tag, which it matches exactly) cost 0.3 ms per
/// homepage on the thread pool, a tenth of a scan's own work there.
public static class SitemapLinks
{
    private const int MaxHeadChars = 256 * 1024;
    private const int MaxLinks = 20;

    // Not string.IndexOf(..., OrdinalIgnoreCase): under invariant globalization that crawls over non-ASCII text.
    private static readonly SearchValues<string> HeadEnd = SearchValues.Create(["</head"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<char> TagEnds = SearchValues.Create("<>");

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static IReadOnlyList<Uri> Find(ReadOnlySpan<char> html, Uri pageUrl)
    {
        var end = html.IndexOfAny(HeadEnd);
        var head = html[..Math.Min(end < 0 ? html.Length : end, MaxHeadChars)];
        var baseUrl = pageUrl;
        var links = new List<Uri>();
        // The head is read where it lies, not copied into a string (often a large-object one).
        var position = 0;
        while (NextTag(head, ref position, out var isBase, out var attributes))
        {
            string? rel = null;
            string? href = null;
            var tag = head[attributes];
            var at = 0;
            while (NextAttribute(tag, ref at, out var name, out var value))
            {
                if (name.Equals("rel", StringComparison.OrdinalIgnoreCase))
                {
                    rel = Decoded(value);
                }
                else if (name.Equals("href", StringComparison.OrdinalIgnoreCase))
                {
                    href = Decoded(value);
                }
            }

            if (href is null)
            {
                continue;
            }

            if (isBase)
            {
                baseUrl = Uri.TryCreate(pageUrl, href, out var declared) ? declared : baseUrl;
            }
            else if (rel is not null
                && rel.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("sitemap", StringComparer.OrdinalIgnoreCase)
                && SitemapValues.ParseUrl(href, baseUrl, allowRelative: true) is { } url
                && links.Count < MaxLinks && !links.Contains(url))
            {
                links.Add(url);
            }
        }

        return links;
    }

    private static string Decoded(ReadOnlySpan<char> value) => WebUtility.HtmlDecode(value.Trim("\"'").Trim().ToString());

    /// The next `<link` or `<base` tag from <paramref name="position"/> (case-insensitive, a word boundary after the
    /// name, then anything but `<` up to `>`): whether it is a base tag, and where its attribute text lies.
    /// <paramref name="position"/> moves past the tag.
    private static bool NextTag(ReadOnlySpan<char> head, ref int position, out bool isBase, out Range attributes)
    {
        while (position < head.Length)
        {
            var open = head[position..].IndexOf('<');
            if (open < 0)
            {
                break;
            }

            var start = position + open;
            position = start + 1;
            if (head.Length - start < 6 || !IsTagName(head.Slice(start + 1, 4), out isBase) || IsWordChar(head[start + 5]))
            {
                continue;
            }

            var close = head[(start + 5)..].IndexOfAny(TagEnds);
            if (close < 0 || head[start + 5 + close] == '<')
            {
                continue;
            }

            position = start + 5 + close + 1;
            attributes = new Range(start + 5, start + 5 + close);
            return true;
        }

        isBase = false;
        attributes = default;
        return false;
    }

    // `link` or `base` as the regular expression's case-insensitive match took them (the Kelvin sign is a K there).
    private static bool IsTagName(ReadOnlySpan<char> name, out bool isBase)
    {
        isBase = Lower(name[0]) == 'b';
        return isBase
            ? Lower(name[1]) == 'a' && Lower(name[2]) == 's' && Lower(name[3]) == 'e'
            : Lower(name[0]) == 'l' && Lower(name[1]) == 'i' && Lower(name[2]) == 'n' && Lower(name[3]) == 'k';
    }

    private static char Lower(char c) => c == '\u212A' ? 'k' : char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;

    // A word character as `\b` reads it: letters, non-spacing marks, digits, connector punctuation and the two joiners.
    private static bool IsWordChar(char c) =>
        c is '\u200C' or '\u200D'
        || char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;

    /// The next `name = value` of a tag's attribute text from <paramref name="position"/>, leftmost first as the regular
    /// expression found them: a name is a run of ASCII letters and hyphens (a shorter one never fits, so a run either
    /// starts an attribute or is passed over whole), the value quoted (the quotes kept) or up to a blank, quote or `>`.
    private static bool NextAttribute(ReadOnlySpan<char> tag, ref int position, out ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        while (position < tag.Length)
        {
            var start = tag[position..].IndexOfAny(NameChars);
            if (start < 0)
            {
                break;
            }

            start += position;
            var nameEnd = tag[start..].IndexOfAnyExcept(NameChars);
            nameEnd = nameEnd < 0 ? tag.Length : start + nameEnd;
            position = nameEnd;
            var at = SkipBlanks(tag, nameEnd);
            if (at == tag.Length || tag[at] != '=')
            {
                continue;
            }

            at = SkipBlanks(tag, at + 1);
            var valueEnd = ValueEnd(tag, at);
            if (valueEnd < 0)
            {
                continue;
            }

            name = tag[start..nameEnd];
            value = tag[at..valueEnd];
            position = valueEnd;
            return true;
        }

        name = value = default;
        return false;
    }

    private static int SkipBlanks(ReadOnlySpan<char> text, int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        return at;
    }

    // Where a value starting at `at` ends (exclusive), or -1 when none starts there.
    private static int ValueEnd(ReadOnlySpan<char> tag, int at)
    {
        if (at == tag.Length)
        {
            return -1;
        }

        if (tag[at] is '"' or '\'')
        {
            var close = tag[(at + 1)..].IndexOf(tag[at]);
            return close < 0 ? -1 : at + 1 + close + 1;
        }

        var end = at;
        while (end < tag.Length && !char.IsWhiteSpace(tag[end]) && tag[end] is not ('"' or '\'' or '>'))
        {
            end++;
        }

        return end == at ? -1 : end;
    }
}
