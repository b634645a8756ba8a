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

    private static PageTree.Document Parse(string html) =>
        PageTree.Parse(PageTree.Parser(HtmlExtractor.ParserOptions), new HtmlParser(HtmlExtractor.ParserOptions), html.AsMemory());

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
                var runs = new List<string>();
                t.AddRunsTo(runs);
                text.Append('"').Append(string.Concat(runs)).Append("\"\n");
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
