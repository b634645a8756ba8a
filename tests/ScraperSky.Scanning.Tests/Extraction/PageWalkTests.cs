using System.Text;
using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

/// The walk's shortcuts: each must give what the general way gives (a Uri, a search ignoring case, char.IsWhiteSpace).
public sealed class PageWalkTests
{
    private static readonly string[] Bases =
    [
        "https://example.com/", "http://shop.example.com:8080/a/b/c.html?x=1#top", "https://user:pw@example.com/dir/",
        "http://bücher.test/kontakt/", "http://xn--bcher-kva.test/", "https://EXAMPLE.org", "http://127.0.0.1/x/",
    ];

    private static readonly string[] Hosts =
    [
        "cdn.example.com", "CDN.example.com", "a..b", "1.2.3.4", "0x7f.1", "1.2.3", "xn--bcher-kva.test", "a.b.c1", "-x.com",
        "x.com.", "x.com:80", "x.com:443", "user@x.com", "localhost", "bücher.de", "a_b.com", "x.com%2e", "[::1]", "",
    ];

    // Characters a URL may be written with, and some it may not.
    private const string PathCharacters = "abcXYZ019-._~!$&'()*+,;=:@/?/..%#\\ []{}|^`\"<>é\t\u00A0";

    [Fact]
    public void A_script_source_is_resolved_to_what_a_uri_gives_or_kept_as_written_where_a_uri_gives_nothing()
    {
        var random = new Random(20261203);
        var shortcuts = 0;
        var cases = 0;
        foreach (var written in Bases)
        {
            var baseUrl = new Uri(written);
            string? origin = null;
            for (var i = 0; i < 20_000; i++)
            {
                var path = RandomPath(random);
                var raw = random.Next(3) switch
                {
                    0 => path,
                    1 => (random.Next(2) == 0 ? "https://" : "http://") + Hosts[random.Next(Hosts.Length)] + path,
                    _ => random.Next(4) switch { 0 => "//cdn.example.com" + path, 1 => "HTTPS://cdn.example.com" + path, 2 => path.TrimStart('/'), _ => " " + path },
                };
                if (raw.Length == 0)
                {
                    continue;
                }

                cases++;
                shortcuts += HtmlExtractor.IsWrittenAsResolved(raw) ? 1 : 0;
                Assert.Equal(HtmlExtractor.Resolve(baseUrl, raw) ?? raw, HtmlExtractor.ResolveOrKeep(baseUrl, raw, ref origin));
            }
        }

        // The shortcut is taken often enough for the comparison to say something of it.
        Assert.InRange(shortcuts, cases / 10, cases);
    }

    [Theory]
    [InlineData("/wp-includes/js/jquery/jquery.min.js?ver=3.7.1", "https://example.com/wp-includes/js/jquery/jquery.min.js?ver=3.7.1")]
    [InlineData("https://www.googletagmanager.com/gtag/js?id=G-XYZ123", "https://www.googletagmanager.com/gtag/js?id=G-XYZ123")]
    [InlineData("js/app.js", "https://example.com/dir/js/app.js")]
    [InlineData("/js/../app.js", "https://example.com/app.js")]
    [InlineData("/js/a b.js", "https://example.com/js/a%20b.js")]
    [InlineData("https://CDN.example.com/a.js", "https://cdn.example.com/a.js")]
    [InlineData("https://cdn.example.com:443/a.js", "https://cdn.example.com/a.js")]
    [InlineData("javascript:void(0)", "javascript:void(0)")]
    public void A_script_source_is_read_as_its_absolute_url(string src, string expected)
    {
        var parser = PageTree.Parser(HtmlExtractor.ParserOptions);
        using var prescan = HtmlPrescan.Prepare($"<html><head><script src=\"{src}\"></script></head></html>".AsMemory());
        using var tree = PageTree.Parse(parser, new AngleSharp.Html.Parser.HtmlParser(HtmlExtractor.ParserOptions), prescan);
        using var walk = new HtmlExtractor.PageWalk(new Uri("https://example.com/dir/"), tree.TextLength);
        walk.Visit(tree);
        Assert.Equal([expected], walk.ScriptSources);
    }

    /// A base element is honoured whichever way its tree was built (the page parser, AngleSharp's tree builder for a
    /// select, its DOM copied for a template), in any case and anywhere in the page; a tree without one is not searched.
    [Theory]
    [InlineData("<html><head><base href=\"https://cdn.example.com/site/\"></head><body><script src=\"a.js\"></script></body></html>", true)]
    [InlineData("<html><head><BASE HREF=\"https://cdn.example.com/site/\"></head><body><select><option>1</select><script src=\"a.js\"></script></body></html>", true)]
    [InlineData("<html><head><Base href=\"https://cdn.example.com/site/\"></head><body><template><p>t</p></template><script src=\"a.js\"></script></body></html>", true)]
    [InlineData("<html><body><p>x</p><base href=\"https://cdn.example.com/site/\"><script src=\"a.js\"></script></body></html>", true)]
    [InlineData("<html><head><!-- <base href=\"https://cdn.example.com/site/\"> --></head><body><script src=\"a.js\"></script></body></html>", false)]
    [InlineData("<html><head><script>document.write('<base href=\"https://cdn.example.com/site/\">')</script><script src=\"a.js\"></script></head></html>", false)]
    public void A_base_element_is_read_from_the_tree_whichever_way_it_was_built(string html, bool hasBase)
    {
        var parser = PageTree.Parser(HtmlExtractor.ParserOptions);
        using var prescan = HtmlPrescan.Prepare(html.AsMemory());
        using var tree = PageTree.Parse(parser, new AngleSharp.Html.Parser.HtmlParser(HtmlExtractor.ParserOptions), prescan);
        using var walk = new HtmlExtractor.PageWalk(new Uri("https://example.com/dir/"), tree.TextLength);
        walk.Visit(tree);
        Assert.Equal(hasBase, tree.HasBase);
        Assert.Equal([hasBase ? "https://cdn.example.com/site/a.js" : "https://example.com/dir/a.js"], walk.ScriptSources);
    }

    [Theory]
    [InlineData("<div id=\"MastHead\">", true)]
    [InlineData("<div class=\"site-HEADER\">", true)]
    [InlineData("<div role=\"banner\">", true)]
    [InlineData("<header>", true)]
    [InlineData("<div id=\"header-x\" class=\"x\">", true)]
    [InlineData("<div class=\"masthead\">", false)]
    [InlineData("<div id=\"head\">", false)]
    public void An_image_that_says_logo_is_the_header_logo_where_an_id_class_or_role_says_header(string opening, bool header)
    {
        var html = "<html><body><img class=\"logo\" src=\"/other.png\">" + opening + "<img class=\"LOGO\" src=\"/head.png\"></div></body></html>";
        Assert.Equal(header ? "https://inline.test/head.png" : "https://inline.test/other.png", FixturePages.ExtractHtml(html).LogoUrl);
    }

    [Theory]
    [InlineData("<a class=\"navbar-Brand\">", true)]
    [InlineData("<div id=\"site-LOGO\">", true)]
    [InlineData("<div class=\"logo-wrap\">", true)]
    [InlineData("<div id=\"brand\">", false)]
    [InlineData("<div class=\"lgo\">", false)]
    public void An_image_in_a_logo_or_brand_block_is_a_logo(string opening, bool logo)
    {
        var html = "<html><body>" + opening + "<img src=\"/picture.png\"></div></body></html>";
        Assert.Equal(logo ? "https://inline.test/picture.png" : null, FixturePages.ExtractHtml(html).LogoUrl);
    }

    [Fact]
    public void A_number_in_a_footer_named_by_its_id_or_class_needs_no_cue()
    {
        foreach (var (opening, inFooter) in new[] { ("<div id=\"Footer\">", true), ("<div class=\"site-fOoTeR\">", true), ("<div class=\"foot\">", false) })
        {
            var html = "<html><body><p>Intro</p>" + opening + "<p>Hafenstraße 1, 20457 Hamburg, 040 1234 5678</p></div></body></html>";
            var phones = FixturePages.Extractor.Extract(FixturePages.Page(new Uri("https://inline.de/"), html), "DE", cancellationToken: TestContext.Current.CancellationToken).Phones;
            Assert.Equal(inFooter ? ["+494012345678"] : [], phones.Select(p => p.E164));
        }
    }

    [Fact]
    public void No_character_beyond_ascii_equals_a_first_letter_of_the_words_an_id_or_class_may_say_ignoring_case()
    {
        for (var c = 0x80; c <= char.MaxValue; c++)
        {
            foreach (var letter in "hmflb")
            {
                Assert.False(string.Equals(((char)c).ToString(), letter.ToString(), StringComparison.OrdinalIgnoreCase), $"U+{c:X4}");
            }
        }
    }

    [Fact]
    public void Cleaning_a_value_trims_it_and_makes_its_whitespace_single_spaces_and_keeps_a_clean_value_as_it_is()
    {
        var whitespace = Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsWhiteSpace).ToArray();
        Assert.DoesNotContain(whitespace, c => c is >= '!' and <= '\u0084');
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var value = new StringBuilder();
            for (var n = random.Next(1, 12); n > 0; n--)
            {
                value.Append(random.Next(3) == 0 ? whitespace[random.Next(whitespace.Length)] : random.Next(4) == 0 ? ' ' : "aZ9-!é\u0084\u0086"[random.Next(8)]);
            }

            var written = value.ToString();
            var words = new List<string>();
            var word = new StringBuilder();
            foreach (var c in written + " ")
            {
                if (!char.IsWhiteSpace(c))
                {
                    word.Append(c);
                }
                else if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }

            var expected = words.Count == 0 ? null : string.Join(' ', words);
            var cleaned = HtmlExtractor.Clean(written);
            Assert.Equal(expected, cleaned);
            Assert.Equal(expected == written, ReferenceEquals(cleaned, written));
        }
    }

    private static string RandomPath(Random random)
    {
        var path = new StringBuilder(random.Next(4) == 0 ? string.Empty : "/");
        for (var n = random.Next(0, 16); n > 0; n--)
        {
            path.Append(random.Next(3) == 0 ? PathCharacters[random.Next(PathCharacters.Length)] : "abcdefghij/"[random.Next(11)]);
        }

        return path.ToString();
    }
}
