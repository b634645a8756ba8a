using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Scanning.Tests.Sitemaps;

public sealed class SitemapLinksTests
{
    [Fact]
    public void Sitemap_links_of_the_head_are_resolved_against_the_base_href()
    {
        const string html = """
            <html><head>
              <base href="https://cdn.example.com/site/">
              <LINK REL="Sitemap" type="application/xml" href="sitemap.xml">
              <link rel='alternate sitemap' href='/feeds/all.xml'>
              <link rel="stylesheet" href="/style.css">
              <link rel="sitemap" href="javascript:alert(1)">
              <link rel="sitemap" href="https://example.com/s.xml?a=1&amp;b=2">
            </head><body><link rel="sitemap" href="/in-body.xml"></body></html>
            """;

        var links = SitemapLinks.Find(html, new Uri("https://example.com/"));

        Assert.Equal(
            ["https://cdn.example.com/site/sitemap.xml", "https://cdn.example.com/feeds/all.xml", "https://example.com/s.xml?a=1&b=2"],
            links.Select(l => l.AbsoluteUri));
    }

    [Fact]
    public void A_page_without_sitemap_links_gives_none()
    {
        Assert.Empty(SitemapLinks.Find("<html><head><title>x</title></head></html>", new Uri("https://example.com/")));
        Assert.Empty(SitemapLinks.Find("", new Uri("https://example.com/")));
    }

    [Fact]
    public void Tag_soup_gives_what_the_regular_expressions_gave()
    {
        // Pieces of tags, attributes, quotes and blanks, shuffled into heads: the scanner must find the same tags and
        // attributes as the patterns it replaced, in the same order.
        string[] pieces =
        [
            "<", ">", "<link", "<LINK", "<base", "<Base", "<linkx", "<link-", "<lin", " ", "\t", "\n", "\u00a0", "=", " = ",
            "rel", "REL", "href", "hReF", "x-rel", "_rel", "1rel", "\"", "'", "sitemap", "alternate sitemap", "stylesheet",
            "/a.xml", "b.xml", "https://cdn.test/d/", "&amp;", "é", "\u212a", "\u200d", "/", "rel=sitemap", "href=/s.xml",
            "rel=\"sitemap\"", "href='/q.xml?a=1&amp;b=2'", "href=\"", "</head", "<!-- x -->",
        ];
        var random = new Random(20261203);
        for (var head = 0; head < 20_000; head++)
        {
            var html = new StringBuilder();
            var count = random.Next(1, 40);
            for (var piece = 0; piece < count; piece++)
            {
                html.Append(pieces[random.Next(pieces.Length)]);
            }

            AssertSameAsRegex(html.ToString());
        }
    }

    [Fact]
    public void Every_character_in_a_tag_reads_as_the_regular_expressions_read_it()
    {
        // A character as each letter of the tag names (case folding), right after the name (the word boundary), around
        // the `=` (blanks), and inside an unquoted value (where it ends).
        string[] shapes =
        [
            "<{0}ink rel=sitemap href=/a.xml>", "<l{0}nk rel=sitemap href=/a.xml>", "<li{0}k rel=sitemap href=/a.xml>",
            "<lin{0} rel=sitemap href=/a.xml>", "<link{0}rel=sitemap href=/a.xml>", "<link rel{0}={0}sitemap href=/a.xml>",
            "<link rel=sitemap href=/a{0}b.xml>", "<link rel=sitemap {0}href=/a.xml>",
            "<{0}ase href=https://b.test/d/><link rel=sitemap href=a.xml>", "<b{0}se href=https://b.test/d/><link rel=sitemap href=a.xml>",
            "<ba{0}e href=https://b.test/d/><link rel=sitemap href=a.xml>", "<bas{0} href=https://b.test/d/><link rel=sitemap href=a.xml>",
        ];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            foreach (var shape in shapes)
            {
                AssertSameAsRegex(shape.Replace("{0}", ((char)c).ToString(), StringComparison.Ordinal));
            }
        }
    }

    private static void AssertSameAsRegex(string html)
    {
        var page = new Uri("https://example.com/");
        var expected = RegexSitemapLinks.Find(html, page).Select(l => l.AbsoluteUri).ToList();
        var actual = SitemapLinks.Find(html, page).Select(l => l.AbsoluteUri).ToList();
        Assert.True(expected.SequenceEqual(actual), $"{Escape(html)}: [{string.Join(", ", expected)}] expected, [{string.Join(", ", actual)}] found");
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"));

    /// The search as it was written with regular expressions, the reference the scanner is held to.
    private static class RegexSitemapLinks
    {
        private static readonly Regex Tag = new(@"<(link|base)\b([^<>]*)>", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking);
        private static readonly Regex Attribute = new("""([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", RegexOptions.NonBacktracking);

        public static IReadOnlyList<Uri> Find(string html, Uri pageUrl)
        {
            var end = html.IndexOf("</head", StringComparison.OrdinalIgnoreCase);
            var head = html[..Math.Min(end < 0 ? html.Length : end, 256 * 1024)];
            var baseUrl = pageUrl;
            var links = new List<Uri>();
            foreach (Match tag in Tag.Matches(head))
            {
                string? rel = null;
                string? href = null;
                foreach (Match attribute in Attribute.Matches(tag.Groups[2].Value))
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
                    && links.Count < 20 && !links.Contains(url))
                {
                    links.Add(url);
                }
            }

            return links;
        }
    }
}
