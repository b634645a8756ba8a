using System.Buffers;
using System.Net;
using System.Text.RegularExpressions;

namespace ScraperSky.Scanning.Sitemaps;

/// The `<link rel="sitemap" href="...">` targets of a homepage. Only the document head is looked at (links of this kind
/// live there), through bounded non-backtracking patterns, so this stays a small pass beside the page's real parse.
public static partial class SitemapLinks
{
    private const int MaxHeadChars = 256 * 1024;
    private const int MaxLinks = 20;

    // Not string.IndexOf(..., OrdinalIgnoreCase): under invariant globalization that crawls over non-ASCII text.
    private static readonly SearchValues<string> HeadEnd = SearchValues.Create(["</head"], StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<string> TagStart = SearchValues.Create(["<link", "<base"], StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<Uri> Find(ReadOnlySpan<char> html, Uri pageUrl)
    {
        var end = html.IndexOfAny(HeadEnd);
        var head = html[..Math.Min(end < 0 ? html.Length : end, MaxHeadChars)];
        var baseUrl = pageUrl;
        var links = new List<Uri>();
        // A tag can only start where `<link` or `<base` does: those places are found by a vectorised search, and the
        // pattern runs on each alone, up to its `>`, rather than over the whole head (a quarter of the thread pool's
        // sitemap work). Only candidates with no `<` before their `>` are copied into strings, so no character is copied
        // twice whatever the head holds.
        for (var at = head.IndexOfAny(TagStart); at >= 0;)
        {
            var close = head[(at + 1)..].IndexOfAny('<', '>');
            if (close < 0)
            {
                break;
            }

            close += at + 1;
            var tag = head[close] == '>' ? Tag().Match(head[at..(close + 1)].ToString()) : Match.Empty;
            var matched = tag.Success && tag.Index == 0;
            var next = matched ? close + 1 : at + 1;
            var found = head[next..].IndexOfAny(TagStart);
            at = found < 0 ? -1 : next + found;
            if (!matched)
            {
                continue;
            }

            string? rel = null;
            string? href = null;
            foreach (Match attribute in Attribute().Matches(tag.Groups[2].Value))
            {
                var value = WebUtility.HtmlDecode(attribute.Groups[2].Value.Trim('"', '\'').Trim());
                if (attribute.Groups[1].Value.Equals("rel", StringComparison.OrdinalIgnoreCase))
                {
                    rel = value;
                }
                else if (attribute.Groups[1].Value.Equals("href", StringComparison.OrdinalIgnoreCase))
                {
                    href = value;
                }
            }

            if (href is null)
            {
                continue;
            }

            if (tag.Groups[1].Value.Equals("base", StringComparison.OrdinalIgnoreCase))
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

    [GeneratedRegex(@"<(link|base)\b([^<>]*)>", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Tag();

    [GeneratedRegex("""([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", RegexOptions.NonBacktracking)]
    private static partial Regex Attribute();
}
