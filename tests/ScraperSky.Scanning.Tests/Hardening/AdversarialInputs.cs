using System.Text;

namespace ScraperSky.Scanning.Tests.Hardening;

/// Hostile and mutated inputs for the parsers: a fixed list of the constructions that are expensive for HTML tree
/// builders, XML readers and robots.txt matchers, then seeded random mutations of real fixture files. Deterministic
/// (a fixed seed), so a failure names an input that can be replayed.
internal static class AdversarialInputs
{
    public const int Seed = 20261125;

    private static readonly string SitesRoot = Path.Combine(AppContext.BaseDirectory, "Sites");

    private static readonly string[] HtmlSnippets =
    [
        "<q>", "</zz>", "<div>", "</div>", "<div/>", "<a href='/x'>", "</a>", "<b>", "</b>", "<i>", "<p>", "</p>", "</br>",
        "<table>", "<tr>", "<td>", "</table>", "<select>", "<option>", "<svg>", "<math>", "<mi>", "<template>",
        "<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>", "<style>", "<title>", "<textarea>", "<plaintext>",
        "&amp;", "&#x10FFFF;", "&#0;", "&notanentity", "<span class='logo'>", "<img src='data:,' alt=logo>",
        "<meta name='description' content='x'>", "<base href='javascript:alert(1)'>", "<a href='mailto:a@b.c'>",
        "<a href='tel:+44 20 7946 0958'>", "\0", "\uFFFF", "\uD800", "<", ">", "'", "\"", "=", " ", "\n",
        "<frameset>", "<noscript>", "<form>", "</form>", "<h1>", "</h2>", "<li>", "<dd>", "<ruby><rt>", "<foreignObject>",
        "<script type='application/ld+json'>{\"@type\":\"Organization\",\"sameAs\":[", "<x y=\"", "<!doctype html>",
    ];

    /// Pages built to be expensive: each entry is a pattern repeated many times inside a body.
    public static IEnumerable<(string Name, string Html)> HostileHtml()
    {
        (string, string, int)[] repeated =
        [
            ("stray end tags", "<q></zz>", 80_000),
            ("deep divs", "<div>", 100_000),
            ("self-closed divs", "<div/>", 100_000),
            ("nested anchors", "<a href='/x'>", 40_000),
            ("formatting soup", "<b><i><u><s>", 20_000),
            ("adoption agency", "<b><p></b>", 20_000),
            ("misnested blocks", "<span><div></span>", 40_000),
            ("tables", "<table><tr><td>", 30_000),
            ("cells", "<td>", 100_000),
            ("selects", "<select><option>", 30_000),
            ("svg", "<svg>", 60_000),
            ("mathml", "<math><mi>", 40_000),
            ("templates", "<template>", 60_000),
            ("stray p", "</p>", 100_000),
            ("stray br", "</br>", 100_000),
            ("open comments", "<!--", 100_000),
            ("entities", "&amp;&lt;&#x41;", 100_000),
            ("emails", "<p>x@example.com y.z@mail.example.org</p>", 20_000),
            ("phones", "<p>Call +44 20 7946 0958 or 030 12345678</p>", 20_000),
            ("links", "<a href='/contact'>Contact</a>", 40_000),
            ("ld+json", "<script type='application/ld+json'>{\"email\":\"a@b.c\",\"telephone\":\"+1 202 555 0100\"}</script>", 10_000),
        ];
        foreach (var (name, pattern, times) in repeated)
        {
            yield return (name, "<!doctype html><html><head><title>Hostile</title></head><body>" + Repeat(pattern, times) + "</body></html>");
        }

        // Runs of end tags the builder ignores only after walking its stack, under a deep stack.
        foreach (var endTag in new[] { "</li>", "</b>", "</h1>", "</form>", "</body>", "</table>", "</zz>" })
        {
            yield return ($"deep then {endTag}", "<html><body>" + Repeat("<q>", 1_000) + Repeat(endTag, 150_000));
        }

        yield return ("attribute flood", "<html><body><div " + Repeat("a=1 ", 200_000) + "></div></body></html>");
        yield return ("unclosed tag", "<html><body><x " + Repeat("y", 1_000_000));
        yield return ("long tag name", "<html><body><" + Repeat("abc", 300_000) + ">x</body></html>");
        yield return ("unclosed script", "<html><body><script>" + Repeat("</scrip", 100_000));
        yield return ("nul flood", Repeat("\0<\0", 200_000));
    }

    public static IEnumerable<(string Name, string Html)> MutatedHtml(int count)
    {
        var random = new Random(Seed);
        var seeds = Directory.EnumerateFiles(SitesRoot, "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(File.ReadAllText).ToList();
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Count)]);
            var mutations = random.Next(1, 8);
            for (var m = 0; m < mutations; m++)
            {
                Mutate(text, random, HtmlSnippets, maxLength: 1024 * 1024);
            }

            yield return ($"mutated html #{i}", text.ToString());
        }
    }

    public static IEnumerable<(string Name, byte[] Body)> SitemapInputs(int count)
    {
        var random = new Random(Seed + 1);
        string[] seeds =
        [
            .. Directory.EnumerateFiles(SitesRoot, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText),
            "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://x.test/a</loc><lastmod>2025-01-01</lastmod></url></urlset>",
            "<sitemapindex><sitemap><loc>https://x.test/s.xml</loc></sitemap></sitemapindex>",
            "<rss><channel><item><link>https://x.test/r</link><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item></channel></rss>",
            "https://x.test/a\nhttps://x.test/b\n",
        ];
        string[] snippets =
        [
            "<url>", "</url>", "<loc>", "</loc>", "<a>", "<!DOCTYPE x [<!ENTITY e \"e\">]>", "&e;", "&amp;", "<![CDATA[", "]]>",
            "<?xml version=\"1.0\"?>", "<sitemap>", "<lastmod>not a date</lastmod>", "<priority>NaN</priority>", "\0", "\uFFFE",
            "https://x.test/" + new string('p', 3000), "<" + new string('n', 5000) + ">", "xmlns:a=\"", "<a:b>", "<",
        ];

        yield return ("deep xml", Encoding.UTF8.GetBytes("<urlset><url><loc>https://x.test/</loc></url>" + Repeat("<a>", 1_000_000)));
        yield return ("long element name", Encoding.UTF8.GetBytes("<urlset><" + Repeat("n", 2_000_000) + ">"));
        yield return ("many urls", Encoding.UTF8.GetBytes("<urlset>" + Repeat("<url><loc>https://x.test/p</loc></url>", 60_000) + "</urlset>"));
        yield return ("many children", Encoding.UTF8.GetBytes("<sitemapindex>" + Repeat("<sitemap><loc>https://x.test/s.xml</loc></sitemap>", 60_000) + "</sitemapindex>"));
        yield return ("attribute flood", Encoding.UTF8.GetBytes("<urlset " + Repeat("a=\"1\" ", 100_000) + ">"));
        yield return ("text lines", Encoding.UTF8.GetBytes(Repeat("https://x.test/" + new string('q', 5000) + "\n", 1_000)));
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            var mutations = random.Next(1, 8);
            for (var m = 0; m < mutations; m++)
            {
                Mutate(text, random, snippets, maxLength: 2 * 1024 * 1024);
            }

            yield return ($"mutated sitemap #{i}", Encoding.UTF8.GetBytes(text.ToString()));
        }
    }

    public static IEnumerable<(string Name, string Robots)> RobotsInputs(int count)
    {
        var random = new Random(Seed + 2);
        string[] seeds =
        [
            .. Directory.EnumerateFiles(SitesRoot, "robots.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllText),
            "User-agent: *\nDisallow: /private\nAllow: /private/public\nSitemap: /sitemap.xml\n",
            "User-agent: ScraperSky\nDisallow: /*.php$\nDisallow: /*?*sort=\nCrawl-delay: 5\n",
        ];
        string[] snippets =
        [
            "User-agent: *\n", "User-agent: ScraperSky\n", "Disallow: /*a*a*a*a*a*a*a*a*b\n", "Allow: /*$\n", "Disallow: /\n",
            "Disallow: /" + new string('*', 5000) + "x\n", "Disallow: /%41%zz%\n", "Sitemap: http://[::1]:99999/\n", "#", ":", "\r",
            "Disallow: " + Repeat("/a*", 2000) + "\n", "\uFEFF", "Crawl-delay: 1e308\n", "Disallow: /\u00e9\uD83D\uDE00\n",
        ];

        yield return ("wildcard flood", "User-agent: *\n" + Repeat("Disallow: /" + Repeat("*a", 100) + "*b\n", 2_500));
        yield return ("literal flood", "User-agent: *\n" + Repeat("Disallow: /" + new string('a', 2000) + "c\n", 250));
        yield return ("star flood", "User-agent: *\nDisallow: /" + Repeat("*", 500_000) + "b\n");
        yield return ("group flood", Repeat("User-agent: ScraperSky\nDisallow: /*x*y*z\n", 20_000));
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            var mutations = random.Next(1, 10);
            for (var m = 0; m < mutations; m++)
            {
                Mutate(text, random, snippets, maxLength: 600 * 1024);
            }

            yield return ($"mutated robots #{i}", text.ToString());
        }
    }

    /// Paths a robots.txt is checked against: ordinary, long, and built from the characters hostile rules use.
    public static IEnumerable<string> RobotsPaths() =>
    [
        "/", "/private/page", "/index.php", "/a?sort=price", "/" + new string('a', 2000), "/" + Repeat("ab", 1000) + "b",
        "/%E9t%C3%A9", "/" + new string('x', 4000),
    ];

    /// One random edit; the text is then cut to <paramref name="maxLength"/> (a little over each parser's own limit).
    private static void Mutate(StringBuilder text, Random random, string[] snippets, int maxLength)
    {
        MutateOnce(text, random, snippets);
        if (text.Length > maxLength)
        {
            text.Length = maxLength;
        }
    }

    private static void MutateOnce(StringBuilder text, Random random, string[] snippets)
    {
        var at = text.Length == 0 ? 0 : random.Next(text.Length);
        switch (random.Next(6))
        {
            case 0:
                text.Insert(at, snippets[random.Next(snippets.Length)]);
                break;
            case 1:
                // A snippet repeated many times: the shape of most hostile inputs.
                text.Insert(at, Repeat(snippets[random.Next(snippets.Length)], random.Next(2, 3_000)));
                break;
            case 2:
                var length = Math.Min(text.Length - at, random.Next(1, 2_000));
                var slice = text.ToString(at, length);
                text.Insert(at, Repeat(slice, random.Next(2, 20)));
                break;
            case 3:
                text.Length = at;
                break;
            case 4:
                for (var k = 0; k < 20 && text.Length > 0; k++)
                {
                    text[random.Next(text.Length)] = (char)random.Next(0, 0x80);
                }

                break;
            default:
                text.Remove(at, Math.Min(text.Length - at, random.Next(1, 500)));
                break;
        }
    }

    private static string Repeat(string value, int times) => new StringBuilder(value.Length * times).Insert(0, value, times).ToString();
}
