using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Construction;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

/// The extractor walks a <see cref="PageTree"/>, not AngleSharp's DOM: the two trees of a page must be the same, node
/// for node (names, namespaces, the flags the tree builder reads, attributes in order, text split into the same
/// nodes), or the walk would read a different page. Every fixture page and the markup the tree builder rearranges.
public sealed class PageTreeTests
{
    public static TheoryData<string> Markup =>
    [
        "<p><b>1<i>2</b>3</i>4</p>",
        "<a href=x>1<p>2</a>3</p>",
        "<b><p>x</b>y</p><div><a>1<div>2<a>3</a></div></a></div>",
        "<p><b class=x><b class=x><b class=x><b class=x>x</p><p>y</p>",
        "<p><b class=x id=1><b id=1 class=x><b class=x id=1><b class=x id=1>x</p><p>y</p>",
        "<table>a<tr><td>b</td></tr>c</table><table><tr>text<td>x</td></tr></table>",
        "<table>a<!--c-->b<tr><td>x</table><table><input type=hidden><input type=text>t</table>",
        "<table><tr><td>1</td></tr><div>foster<p>ed</div><span>s</span></table>after",
        "<template><tr><td>x</td></tr></template><template><caption>c</caption><colgroup><col></template>",
        "<table><template><tr><td>1</td></tr><div>x</div></template></table><table><tr><template><p>y</p></template></tr></table>",
        "foo<!--x--> bar<!-- -->  <p>a<!---->b</p>",
        "<template><p>x</p></template><div><template shadowrootmode=open><p>in</p></template><p>out</p></div>",
        "<div><template shadowrootmode=closed>1</template><template shadowrootmode=open>2</template></div><select><template shadowrootmode=open>x</template></select>",
        "<svg viewbox='0 0 1 1'><a xlink:href='mailto:a@b.test' href='x' xlink:title='t'>t</a><foreignObject><p>html</p></foreignObject><title>t</title></svg>",
        "<math><mi>x</mi><annotation-xml encoding='text/html'><p>y</p></annotation-xml><annotation-xml><p>z</p></annotation-xml></math>",
        "<svg><font color=red>x</font></svg><svg><desc><b>x</b></desc><path d=M0></path></svg>",
        "<math xml:lang='en' xmlns:xlink='http://www.w3.org/1999/xlink' definitionurl=u><mtext>m</mtext></math>",
        "<form action=a><form action=b><input></form><isindex prompt='p?' action='q'>",
        "<html lang=de><body class=a><html lang=en data-x='@y'><body class=b id=c>text",
        "<frameset><frame src=a><noframes>x</noframes></frameset>",
        "<body><p>x</p><frameset><frame></frameset>",
        "<select><option>1<option>2<optgroup><option>3</select><ul><li>1<li>2<ul><li>3</ul></ul>",
        "<h1><h2>x</h1><dl><dt>a<dd>b<dt>c</dl><p><button>x</p><button><button>y",
        "&amp;&nbsp;&copy;&#x41;&notit; &#0; &lt;b&gt;",
        "<p><table><tr><td>quirks</table>",
        "<!DOCTYPE html><p><table><tr><td>standards</table>",
        "<noscript><p>x</p></noscript><head><noscript><link rel=x></noscript></head>",
        "<title>a<b>c</title><textarea>x<y</textarea><xmp><i></xmp><plaintext><a>",
        "</p></br><p>a<br>b</br>c</p></div></span>",
        "<my-el foo=1><x-y>t</x-y></my-el><blink>b</blink><image src=x><marquee>m</marquee>",
        "<!DOCTYPE html><html><head><base href='/x/'><base href='/y/'><meta charset=latin1><script>var a='<p>';</script><style>p{}</style></head></html>",
        "<table><caption>c<tr><td>1<td>2<tr><th>3</table><table><colgroup><col></colgroup><tbody><tr><td>4</tbody></table>",
        "<ruby>a<rb>b<rt>c<rp>d</ruby><a><b><c><a>x</a></c></b></a><nobr>1<nobr>2",
        "<p>" + string.Concat(Enumerable.Repeat("<div>", 3000)) + "deep" + string.Concat(Enumerable.Repeat("<b>", 600)) + "er",
        // Nearly all text: the text store, started at a quarter of the source, grows under it.
        "<p>" + string.Concat(Enumerable.Repeat("word &amp; more words<br>", 4000)) + "</p><p title=t>" + new string('x', 50_000),
    ];

    [Theory]
    [MemberData(nameof(Markup))]
    public void The_tree_of_markup_is_AngleSharp_s_DOM(string html) => Assert.Equal(Dom(html), Tree(html));

    [Fact]
    public void The_tree_of_every_fixture_page_is_AngleSharp_s_DOM()
    {
        var pages = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Sites"), "*.html", SearchOption.AllDirectories);
        Assert.NotEmpty(pages);
        foreach (var file in pages)
        {
            var html = File.ReadAllText(file);
            Assert.True(Dom(html) == Tree(html), file);
        }
    }

    /// The page parser's own tree, where it builds one, is AngleSharp's DOM too (the theory above may have gone
    /// through AngleSharp's tree builder).
    [Theory]
    [MemberData(nameof(Markup))]
    public void The_page_parser_s_tree_of_markup_is_AngleSharp_s_DOM(string html)
    {
        if (Fast(html) is { } tree)
        {
            Assert.Equal(Dom(html), tree);
        }
    }

    [Theory]
    [InlineData("<!DOCTYPE html>\n<html lang=de>\n<head>\n<meta charset=utf-8>\n<title>A &amp; B</title>\n</head>\n<body class=x>\n<p>1<p>2</body>\n</html>\n")]
    [InlineData("<p>a<b>b<i>c</p>d</i>e</b>f<ul><li>1<li>2<ul><li>3</ul></ul><dl><dt>a<dd>b</dl><h1>x<h2>y</h1>")]
    [InlineData("<div id=\"a\" CLASS='b' data-x=1&amp;2 hidden>&copy;&#169;&#xA9; &foo; &#; &amp;x</div>\r\nline\rline<pre>\r\nkept</pre><textarea>\nx&lt;</textarea>")]
    [InlineData("<head><noscript><link rel=x><style>s</style></noscript><noscript><img src=x><!--c--><p>t<!---->u</p><!--->v<!-- a -- b --!>w")]
    [InlineData("<div></span></div></li></p></h2><form></form></form><b></b></b><button><button>")]
    [InlineData("<html lang=de><head><div class=x></div></head><body class=a id=b><html lang=en data-x=y>t</body><body class=c x=1></html>")]
    [InlineData("<p>x<svg viewBox='0 0 24 24' CLASS=icon aria-hidden=true><path d='M0 0h24' fill=none/><g><circle r=1></circle></g><title>Fb &amp; co</title><desc>d</desc><LinearGradient id=g GradientUnits=u><stop/></LINEARGRADIENT><!--c--></svg>y</p><b><svg/>z</b><svg><rect></svg>")]
    [InlineData("<!DOCTYPE html><p>a<table>\n<tr><td>1<td><b>2</b><p>x<tr><th>3</table><p><table><thead><tr><th>h<tbody><tr><td>d<table><td>in</table>e</td></tr>\n</tbody><tfoot><tr><td>f</table>")]
    [InlineData("<p>quirks<table><td><i>a</td><td>b</i></table><table><tr><td><ul><li>1<li>2</td></tr></table>")]
    [InlineData("<listing><!-- x --!>\nkept</listing><pre>\ndropped</pre><pre><b>\nkept</b></pre>")]
    [InlineData("<form><input name=a><button>b</button></form><iframe src=x><p>raw</iframe><xmp><b></xmp><span>a<em>b</span>c</em>")]
    public void An_ordinary_page_takes_the_page_parser_s_path_and_is_AngleSharp_s_DOM(string html)
    {
        var tree = Fast(html);
        Assert.NotNull(tree);
        Assert.Equal(Dom(html), tree);
    }

    [Theory]
    [InlineData("<table>text<tr><td>x</td></tr></table>")]
    [InlineData("<table><tr><td>1</td></tr><div>foster</div></table>")]
    [InlineData("<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><table><tr><td>quirks unknown</table>")]
    [InlineData("<table><caption>c</caption></table>")]
    [InlineData("<p><b>1<i>2</b>3</i></p>")]
    [InlineData("<svg><foreignObject><p>x</p></foreignObject></svg>")]
    [InlineData("<svg><title>t</svg>")]
    [InlineData("<svg><path xlink:href=x /></svg>")]
    [InlineData("<svg><g><p>breaks out</g></svg>")]
    [InlineData("<p>a\0b</p>")]

    // A NUL wherever the tokenizer reads one (it has no search of its own for them).
    [InlineData("<p\0>x</p>")]
    [InlineData("<p a\0=1>x</p>")]
    [InlineData("<p \0>x</p>")]
    [InlineData("<p a=\0>x</p>")]
    [InlineData("<p a=x\0y>x</p>")]
    [InlineData("<p a=\"x\0\">x</p>")]
    [InlineData("<p a='x&amp;\0'>x</p>")]
    [InlineData("<p a=x&amp;\0>x</p>")]
    [InlineData("<p>&amp;\0</p>")]
    [InlineData("<p>&\0</p>")]
    [InlineData("<p>a</p\0>")]
    [InlineData("<script>a\0</script><p>x</p>")]
    [InlineData("<title>a\0</title><p>x</p>")]
    [InlineData("<p>a<!-- \0 -->b</p>")]
    [InlineData("<!DOCTYPE html\0><p>x</p>")]
    [InlineData("<!DOCTYPE \0html><p>x</p>")]
    [InlineData("<p>x</p>\0")]
    [InlineData("<p>&notit;</p>")]
    [InlineData("<p>a</p></br>")]
    [InlineData("<p>x</p><SELECT><option>1</SELECT>")]
    [InlineData("<p>x</p><template><p>t</p></template>")]
    [InlineData("<p>x</p><math><mi>x</mi></math>")]
    [InlineData("<p>x</p><frameset><frame></frameset>")]
    [InlineData("<title>never closed")]
    [InlineData("<!-- never closed")]
    public void A_page_the_page_parser_does_not_build_exactly_goes_to_AngleSharp(string html)
    {
        Assert.Null(PageParser.TryParse(html.AsMemory()));
        Assert.Equal(Dom(html), Tree(html));
    }

    /// Known tag and attribute names are AngleSharp's own strings (whatever their case in the page), and every element
    /// knows its name's kind and id as the name says.
    [Fact]
    public void Names_are_AngleSharp_s_strings_and_elements_know_their_kind()
    {
        using var tree = PageParser.TryParse("<DIV Class=a><p id=b><a HREF=x>l</a><header><my-el data-x=1>t</my-el></header><h2>h</h2><svg><title>s</title></svg>".AsMemory());
        Assert.NotNull(tree);
        var elements = new List<PageTree.Element>();
        var stack = new Stack<PageTree.Node>([tree]);
        while (stack.TryPop(out var node))
        {
            if (node is PageTree.Element element)
            {
                elements.Add(element);
            }

            for (var i = 0; i < node.ChildCount; i++)
            {
                stack.Push(node.ChildAt(i));
            }
        }

        var div = elements.Single(e => e.LocalName == "div");
        Assert.Same(AngleSharp.Dom.TagNames.Div, div.LocalName);
        Assert.Same(AngleSharp.Dom.AttributeNames.Class, div.AttributeName(0));
        Assert.Same(AngleSharp.Dom.AttributeNames.Href, elements.Single(e => e.LocalName == "a").AttributeName(0));
        Assert.Equal("my-el", elements.Single(e => e.LocalName == "my-el").LocalName);
        foreach (var element in elements)
        {
            Assert.Equal(PageTree.Tag.Of(element.LocalName), new PageTree.Tag(default, element.Kind, element.Id));
        }

        Assert.Equal(PageTree.TagKind.Special | PageTree.TagKind.Block, div.Kind);
        Assert.Equal(PageTree.TagId.Header, elements.Single(e => e.LocalName == "header").Id);
        Assert.Equal(PageTree.TagKind.Special | PageTree.TagKind.Heading | PageTree.TagKind.Block, elements.Single(e => e.LocalName == "h2").Kind);
        Assert.Equal(PageTree.TagKind.Special | PageTree.TagKind.ImpliedEnd | PageTree.TagKind.Block, elements.Single(e => e.LocalName == "p").Kind);
        Assert.Equal(PageTree.TagId.A, elements.Single(e => e.LocalName == "a").Id);
        Assert.Equal(PageTree.TagKind.None, elements.Single(e => e.LocalName == "my-el").Kind);
    }

    /// The page parser's tree reads text and attribute values where they are in the page: only what it decoded (a
    /// reference, a CR made LF) is copied into the tree's store.
    [Theory]
    [InlineData("<p class=a title=\"b c\">text <b>and</b> more</p>", 0)]
    [InlineData("<p class=a&amp;b title='x\r\ny'>A &amp; B\r\nC</p><title>t &lt;</title><script>s\r</script>", 10)]
    public void The_page_parser_s_tree_copies_only_what_it_decoded(string html, int copied)
    {
        using var tree = PageParser.TryParse(html.AsMemory());
        Assert.NotNull(tree);
        Assert.Equal(copied, tree.Store.Copied);
        Assert.Equal(Dom(html), Write(tree));
    }

    /// The benchmark's pages are what the scans' hot path meets: every one through the page parser.
    [Fact]
    public void Every_benchmark_corpus_page_takes_the_page_parser_s_path_and_is_AngleSharp_s_DOM()
    {
        foreach (var page in ScraperSky.Benchmarks.Extraction.ExtractionCorpus.Generate(12, syntheticTechnologies: ScraperSky.Benchmarks.Extraction.FingerprintSyntheticDataset.Size)
            .Concat(ScraperSky.Benchmarks.Extraction.ExtractionCorpus.Generate(4, seed: 7, declareLanguage: false)))
        {
            using var prescan = HtmlPrescan.Prepare(page.Html.Memory);
            var html = prescan.ParseInput.ToString();
            var tree = Fast(html);
            Assert.NotNull(tree);
            Assert.True(Dom(html) == tree, page.FinalUrl.ToString());
        }
    }

    [Fact]
    public void Most_fixture_pages_take_the_page_parser_s_path_and_each_is_AngleSharp_s_DOM()
    {
        var pages = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Sites"), "*.html", SearchOption.AllDirectories);
        var fast = 0;
        foreach (var file in pages)
        {
            var html = File.ReadAllText(file);
            if (Fast(html) is { } tree)
            {
                fast++;
                Assert.True(Dom(html) == tree, file);
            }
        }

        TestContext.Current.SendDiagnosticMessage($"{fast} of {pages.Length} fixture pages through the page parser");
        Assert.True(fast * 10 >= pages.Length * 7, $"{fast} of {pages.Length}");
    }

    /// Tag soup from a fixed seed: whatever the page parser builds is AngleSharp's DOM, and so is whatever
    /// <see cref="PageTree.Parse"/> returns when it gives up.
    [Fact]
    public void Generated_tag_soup_is_AngleSharp_s_DOM_through_either_path()
    {
        var random = new Random(20261203);
        var fast = 0;
        const int Documents = 3000;
        for (var i = 0; i < Documents; i++)
        {
            var html = TagSoup(random, 1 + random.Next(i % 10 == 0 ? 120 : 25), tame: i % 2 == 0);
            var dom = Dom(html);
            if (Fast(html) is { } tree)
            {
                fast++;
                Assert.True(dom == tree, $"{html}\n--- DOM\n{dom}--- page parser\n{tree}");
            }

            Assert.True(dom == Tree(html), html);
        }

        TestContext.Current.SendDiagnosticMessage($"{fast} of {Documents} generated documents through the page parser");
        Assert.InRange(fast, Documents / 10, Documents * 9 / 10);
    }

    private static readonly string[] SoupNames =
    [
        "html", "head", "body", "title", "meta", "link", "base", "style", "script", "noscript", "div", "p", "span", "a", "b",
        "i", "em", "strong", "u", "s", "small", "font", "code", "big", "tt", "nobr", "li", "ul", "ol", "dl", "dd", "dt",
        "h1", "h2", "h6", "pre", "listing", "form", "input", "button", "textarea", "select", "option", "table", "tr", "td",
        "br", "hr", "img", "wbr", "iframe", "xmp", "noembed", "noframes", "section", "article", "nav", "header", "footer",
        "main", "aside", "address", "blockquote", "center", "details", "summary", "figure", "figcaption", "fieldset", "menu",
        "dir", "hgroup", "search", "dialog", "template", "svg", "math", "custom-el", "x-y", "label", "param", "source",
        "track", "embed", "area", "plaintext", "frameset", "object", "image", "Div", "P", "LI", "A", "path", "g", "title",
        "desc", "foreignObject", "linearGradient", "stop", "circle", "use", "font", "SVG",
    ];

    private static readonly string[] SoupText =
    [
        "text", " ", "\n", "\r\n", "\r", "  \t", "a < b", "x>y", "&amp;", "&nbsp;", "&copy", "&notit;", "&#65;", "&#x41;",
        "&#0;", "&#128;", "&bogus;", "&amp", "& ", "&#", "&#x;", "€ ü", "\0", "<!--c-->", "<!-->", "<!--->", "<!---->",
        "<!-- a -- b -->", "<!-- x --!>", "<!--", "<![CDATA[x]]>", "<?php x ?>", "</>", "</ p>", "<!DOCTYPE html>",
        "<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">", "<!DOCTYPE>", "</scr", "\n\n",
    ];

    private static readonly string[] SoupAttributes =
    [
        " class=\"a b\"", " id='x'", " data-x=1", " hidden", " CLASS=Up", " href=\"?a=1&b=2\"", " href=\"?a=1&amp;b=2\"",
        " title=\"&copy=1\"", " title=&quot;q&quot;", " a=\"1\"b=\"2\"", " id=x id=y", " x = \"sp\" ", " /", " =x",
        " v=\"line\r\nbreak\"", " w=a&lt;b", " \"q\"=1", " z=`t`", " t=\"&#x41;&#65\"", " selected", " viewbox='0 0 1 1'",
        " xlink:href=#a", " xml:lang=en", " fill=none", " color=red",
    ];

    private static readonly string[] TameNames =
    [
        "div", "p", "span", "a", "b", "i", "em", "strong", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "pre", "br", "img",
        "section", "nav", "header", "footer", "main", "label", "form", "input", "button", "meta", "link", "title", "style",
        "script", "noscript", "textarea", "x-y", "P", "LI", "svg", "path", "g", "circle", "clipPath", "svg", "path",
        "table", "tr", "td", "th", "tbody", "thead", "TD",
    ];

    private static readonly string[] TameText = ["text", " ", "\n", "\r\n", "a < b", "&amp;", "&nbsp;", "&#65;", "€ ü", "<!--c-->", "&bogus;",
        "<svg viewBox='0 0 1 1'><path d=M0/></svg>", "<svg><g><title>t &amp; u</title><circle r=1/></g></svg>", "<svg><desc>d</svg>",
        "<svg class=i><use xlink:href=#a></use></svg>", "<svg><clipPath id=c><rect/></clippath></svg>", "<svg><font>f</font></svg>",
        "<svg><p>x</svg>", "<svg><style>a{}</style><script>s</script></svg>", "<SVG PreserveAspectRatio=none><LinearGradient/></SVG>",
        "<table>", "<table><tr><td>", "</td>", "<td>", "<tr>", "</tr>", "</table>", "<tbody>", "<th>", "<!DOCTYPE html>"];

    // Tame soup closes mostly what it opened (in any order) and keeps to what pages are made of.
    private static string TagSoup(Random random, int tokens, bool tame)
    {
        var html = new StringBuilder();
        var open = new List<string>();
        for (var t = 0; t < tokens; t++)
        {
            var name = tame ? TameNames[random.Next(TameNames.Length)] : SoupNames[random.Next(SoupNames.Length)];
            var kind = random.Next(10);
            if (tame && kind is >= 4 and < 7)
            {
                if (open.Count == 0)
                {
                    kind = 0;
                }
                else
                {
                    var index = random.Next(3) == 0 ? random.Next(open.Count) : open.Count - 1;
                    name = open[index];
                    open.RemoveAt(index);
                }
            }

            if (tame && kind >= 7)
            {
                html.Append(TameText[random.Next(TameText.Length)]);
                continue;
            }

            if (tame && kind < 4)
            {
                open.Add(name);
            }

            switch (kind)
            {
                case < 4:
                    html.Append('<').Append(name);
                    for (var a = random.Next(4) == 0 ? random.Next(4) : 0; a > 0; a--)
                    {
                        html.Append(SoupAttributes[random.Next(SoupAttributes.Length)]);
                    }

                    html.Append(random.Next(8) == 0 ? "/>" : ">");
                    if (name is "script" or "style" or "title" or "textarea" or "xmp" or "iframe" or "noembed" or "noframes" && random.Next(3) > 0)
                    {
                        html.Append(random.Next(4) == 0 ? "\nraw <b> &amp; </scr " : "raw").Append("</").Append(name).Append('>');
                    }

                    break;
                case < 7:
                    html.Append("</").Append(name).Append('>');
                    break;
                default:
                    html.Append(SoupText[random.Next(SoupText.Length)]);
                    break;
            }
        }

        return html.ToString();
    }

    [Fact]
    public void An_ordinary_page_is_built_without_AngleSharp_s_DOM()
    {
        var html = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sites", "contact-crawl.test", "index.html"));
        Assert.Null(Parse(html).Dom);
    }

    [Fact]
    public void A_tree_parsed_after_another_was_disposed_is_built_of_its_nodes_and_is_still_the_DOM()
    {
        var first = Parse("<html lang=de><body class=a><p id=x>1<b>2</b></p><svg><path d=M0></path></svg><script src=s></script>");
        var reused = first.Root!;
        first.Dispose();

        using var second = Parse("<ul><li>a<li>b</ul>");
        Assert.Same(reused, second.Root);
        Assert.Equal(Dom("<ul><li>a<li>b</ul>"), Tree("<ul><li>a<li>b</ul>"));
    }

    [Fact]
    public void A_tree_parsed_while_another_is_alive_has_nodes_of_its_own()
    {
        using var first = Parse("<p>1</p>");
        using var second = Parse("<p>2</p>");
        Assert.NotSame(first.Root, second.Root);
        Assert.Equal(Dom("<p>1</p>"), Write(first));
    }

    [Theory]
    [InlineData("<table><tr><td>1</td></tr><div>foster-parented</div></table>")]
    [InlineData("<p>a</p><template><p>b</p></template>")]
    public void A_page_the_tree_builder_cannot_build_here_is_copied_from_AngleSharp_s_DOM(string html) => Assert.NotNull(Parse(html).Dom);

    // The page as it is, no tag told beforehand (HtmlPrescan.Result.UnbuiltTags): the page parser meets every tag.
    private static PageTree.Document Parse(string html) =>
        PageTree.Parse(PageTree.Parser(HtmlExtractor.ParserOptions), new HtmlParser(HtmlExtractor.ParserOptions),
            new HtmlPrescan.Result(html.AsMemory(), null, [], unbuiltTags: false));

    /// The prescan tells the start tags the page parser gives up on as it passes them (not in comments, scripts or
    /// end tags), so those pages go to AngleSharp without a wasted parse.
    [Theory]
    [InlineData("<p>x</p><SELECT><option>1</SELECT>", true)]
    [InlineData("<p>x</p><Template><p>t</p></template>", true)]
    [InlineData("<p>x</p><math><mi>x</mi></math>", true)]
    [InlineData("<html><frameset><frame></frameset></html>", true)]
    [InlineData("<p>x</p><!-- <select> --><p>y</p>", false)]
    [InlineData("<p>x</p><script>var s = '<select>';</script><style>/* <math> */</style>", false)]
    [InlineData("<p>x</p></select></template><selection>s</selection><mathx>m</mathx><frame>", false)]
    public void The_prescan_tells_the_start_tags_the_page_parser_gives_up_on(string html, bool unbuilt)
    {
        using var prescan = HtmlPrescan.Prepare(html.AsMemory());
        Assert.Equal(unbuilt, prescan.UnbuiltTags);
        using var tree = PageTree.Parse(PageTree.Parser(HtmlExtractor.ParserOptions), new HtmlParser(HtmlExtractor.ParserOptions), prescan);
        Assert.Equal(Dom(prescan.ParseInput.ToString()), Write(tree));
    }

    private static string? Fast(string html)
    {
        using var tree = PageParser.TryParse(html.AsMemory());
        return tree is null ? null : Write(tree);
    }

    private static string Dom(string html)
    {
        var document = new HtmlParser(HtmlExtractor.ParserOptions).ParseDocument(html);
        var text = new StringBuilder();
        foreach (var child in document.ChildNodes)
        {
            Write(child, 0, text);
        }

        return text.ToString();
    }

    private static void Write(INode node, int depth, StringBuilder text)
    {
        text.Append(' ', depth);
        switch (node)
        {
            case IElement element:
                text.Append('<').Append(element.NamespaceUri).Append(' ').Append(element.LocalName).Append(' ')
                    .Append(((IConstructableNode)element).Flags);
                foreach (var attribute in element.Attributes)
                {
                    text.Append(' ').Append(attribute.Name).Append("=\"").Append(attribute.Value).Append('"');
                }

                text.Append(">\n");
                break;
            case IText t:
                text.Append('"').Append(t.Data).Append("\"\n");
                break;
            case IComment:
                text.Append("#comment\n");
                break;
            default:
                text.Append(node.NodeName).Append('\n');
                break;
        }

        if (node is not IHtmlTemplateElement)
        {
            foreach (var child in node.ChildNodes)
            {
                Write(child, depth + 1, text);
            }
        }
    }

    // Disposed, as the extractor disposes its trees: the next tree parsed on this thread is built of the same nodes, so
    // every comparison after the first also checks that a reused node carries nothing of the page before.
    private static string Tree(string html)
    {
        using var tree = Parse(html);
        return Write(tree);
    }

    private static string Write(PageTree.Document tree)
    {
        var text = new StringBuilder();
        for (var i = 0; i < tree.ChildCount; i++)
        {
            Write(tree.ChildAt(i), 0, text);
        }

        return text.ToString();
    }

    private static void Write(PageTree.Node node, int depth, StringBuilder text)
    {
        text.Append(' ', depth);
        switch (node)
        {
            case PageTree.Element element:
                text.Append('<').Append(element.NamespaceUri).Append(' ').Append(element.LocalName).Append(' ').Append(element.Flags);
                for (var i = 0; i < element.AttributeCount; i++)
                {
                    text.Append(' ').Append(element.AttributeName(i)).Append("=\"").Append(element.AttributeValue(i)).Append('"');
                }

                text.Append(">\n");
                break;
            case PageTree.Text t:
                using (var runs = new HtmlExtractor.TextBuffer(16))
                {
                    t.AppendTo(runs);
                    text.Append('"').Append(runs.Span).Append("\"\n");
                }

                break;
            case PageTree.Comment:
                text.Append("#comment\n");
                break;
            default:
                text.Append(node.NodeName.ToString()).Append('\n');
                break;
        }

        for (var i = 0; i < node.ChildCount; i++)
        {
            Write(node.ChildAt(i), depth + 1, text);
        }
    }
}
