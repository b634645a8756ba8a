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

    public static IReadOnlyList<Uri> Find(ReadOnlySpan<char> html, Uri pageUrl)
    {
        var end = html.IndexOfAny(HeadEnd);
        var head = html[..Math.Min(end < 0 ? html.Length : end, MaxHeadChars)];
        var baseUrl = pageUrl;
        var links = new List<Uri>();
        // The head is matched where it lies, not copied into a string (often a large-object one); only the few tags
        // found are, for their groups.
        foreach (var found in Tag().EnumerateMatches(head))
        {
            var tag = Tag().Match(head.Slice(found.Index, found.Length).ToString());
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
