namespace ScraperSky.Scanning.Extraction;

/// The HTML tree builder checks its stack of open elements on every tag, so a page nesting elements a hundred
/// thousand deep costs minutes of parsing. Real pages stay below a few hundred levels; this cheap linear pre-scan
/// estimates the depth and cuts the source where it passes <see cref="MaxDepth"/>, keeping everything before it.
internal static class NestingGuard
{
    public const int MaxDepth = 1024;

    public static string Limit(string html)
    {
        var depth = 0;
        var i = html.IndexOf('<');
        while (i >= 0 && i < html.Length - 1)
        {
            var next = html[i + 1];
            if (next == '!')
            {
                i = SkipPast(html, i, html.AsSpan(i).StartsWith("<!--") ? "-->" : ">");
            }
            else if (next == '/' || char.IsAsciiLetter(next))
            {
                var closing = next == '/';
                var nameStart = closing ? i + 2 : i + 1;
                var nameEnd = nameStart;
                while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
                {
                    nameEnd++;
                }

                var tagEnd = html.IndexOf('>', nameEnd);
                if (tagEnd < 0)
                {
                    return html;
                }

                var name = html.AsSpan(nameStart, nameEnd - nameStart);
                if (closing)
                {
                    if (Counts(name))
                    {
                        depth = Math.Max(0, depth - 1);
                    }

                    i = tagEnd + 1;
                }
                else if (IsRawText(name))
                {
                    i = SkipPast(html, tagEnd, "</" + name.ToString());
                }
                else
                {
                    if (Counts(name) && html[tagEnd - 1] != '/' && ++depth > MaxDepth)
                    {
                        return html[..i];
                    }

                    i = tagEnd + 1;
                }
            }
            else
            {
                i++;
            }

            i = i < 0 || i >= html.Length ? -1 : html.IndexOf('<', i);
        }

        return html;
    }

    private static int SkipPast(string html, int from, string marker)
    {
        var end = html.IndexOf(marker, from + 1, StringComparison.OrdinalIgnoreCase);
        return end < 0 ? -1 : end + marker.Length;
    }

    private static bool IsRawText(ReadOnlySpan<char> name) =>
        name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase)
        || name.Equals("textarea", StringComparison.OrdinalIgnoreCase) || name.Equals("title", StringComparison.OrdinalIgnoreCase)
        || name.Equals("xmp", StringComparison.OrdinalIgnoreCase) || name.Equals("noscript", StringComparison.OrdinalIgnoreCase);

    /// Void elements and those whose end tag may be left out (a list of unclosed `<li>` is flat, not deep) do not count.
    private static bool Counts(ReadOnlySpan<char> name) => name.ToString().ToLowerInvariant() switch
    {
        "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "input" or "link" or "meta" or "source"
            or "track" or "wbr" or "param" or "keygen" => false,
        "p" or "li" or "dt" or "dd" or "option" or "optgroup" or "tr" or "td" or "th" or "thead" or "tbody" or "tfoot"
            or "colgroup" or "rb" or "rt" or "rp" or "rtc" or "html" or "head" or "body" => false,
        _ => true,
    };
}
