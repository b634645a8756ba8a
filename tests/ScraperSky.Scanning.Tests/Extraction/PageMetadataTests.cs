using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

public sealed class PageMetadataTests
{
    [Fact]
    public void Title_description_and_language_come_from_their_tags_with_entities_decoded()
    {
        var page = FixturePages.Extract("wordpress-elementor.test");
        Assert.Equal("Lakeside Dental – Family dentistry", page.Title);
        Assert.Equal("Gentle family dentistry on the lake shore.", page.Description);
        Assert.Equal("en-US", page.Language);
    }

    [Fact]
    public void Open_graph_title_and_description_and_content_language_fill_in_for_missing_tags()
    {
        var page = FixturePages.Extract("base-href.test");
        Assert.Equal("Harbour Lights Café", page.Title);
        Assert.Equal("Coffee by the sea.", page.Description);
        Assert.Equal("en-AU", page.Language);
    }

    [Fact]
    public void Content_language_header_is_the_last_resort_for_the_language()
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["Content-Language"] = ["nl-BE, nl"] };
        var page = FixturePages.Extractor.Extract(
            FixturePages.Load("missing-tags.test", headers: headers), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("nl-BE", page.Language);
    }

    [Fact]
    public void A_page_without_tags_gives_nulls_and_no_favicon_of_its_own()
    {
        var page = FixturePages.Extract("missing-tags.test");
        Assert.Null(page.Title);
        Assert.Null(page.Description);
        Assert.Null(page.Language);
        Assert.Null(page.LogoUrl);
        Assert.Null(page.FaviconUrl);
        Assert.Empty(page.Emails);
        Assert.Empty(page.Phones);
    }

    [Fact]
    public void Urls_resolve_against_base_href_including_protocol_relative_ones()
    {
        var page = FixturePages.Extract("base-href.test");
        Assert.Equal("https://static.base-href.test/assets/touch/apple-touch-icon.png", page.FaviconUrl);
        Assert.Equal("https://cdn.base-href.test/brand/harbour-lights.svg", page.LogoUrl);
    }

    /// A page keeps the links the contact-page selector may choose, resolved against the base; the others (a menu, a
    /// script link) are never made into strings.
    [Fact]
    public void Links_the_contact_page_selector_may_choose_are_kept_and_resolve_against_base_href()
    {
        var html = """
            <html><head><base href="https://static.base-href.test/assets/"></head><body><nav>
              <a href="menu.html">Menu</a> <a href="#top">Top</a> <a href="javascript:void(0)">Kontakt</a>
              <a href="kontakt.html">Write to us</a> <a href="/x">
                Über
                uns </a> <a href="/y" title="Impressum"> </a>
            </nav></body></html>
            """;
        var page = FixturePages.Extractor.Extract(FixturePages.Page(new Uri("https://base-href.test/"), html),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(
            ["https://static.base-href.test/assets/kontakt.html Write to us", "https://static.base-href.test/x Über uns",
                "https://static.base-href.test/y Impressum"],
            page.Links.Select(l => $"{l.Url?.AbsoluteUri} {l.Text}"));
        Assert.Equal(6, page.Performance.LinkCount);
    }

    /// A base whose path names a contact word makes every link of the page one the selector may choose.
    [Fact]
    public void Every_link_is_kept_when_the_base_path_may_be_chosen()
    {
        var html = """<html><body><a href="menu.html">Menu</a> <a href="team.html">Who we are</a></body></html>""";
        var page = FixturePages.Extractor.Extract(FixturePages.Page(new Uri("https://base-href.test/contact/"), html),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["https://base-href.test/contact/menu.html", "https://base-href.test/contact/team.html"],
            page.Links.Select(l => l.Url?.AbsoluteUri));
    }

    [Fact]
    public void The_icon_rel_wins_over_apple_touch_icon()
    {
        var page = FixturePages.Extract("wordpress-elementor.test");
        Assert.Equal("https://wordpress-elementor.test/wp-content/uploads/2023/01/cropped-icon-32x32.png", page.FaviconUrl);
    }

    [Theory]
    [InlineData("<link rel=\"shortcut icon\" href=\"/favicon.png\">", "https://inline.test/favicon.png")]
    [InlineData("<link rel=\"ICON\" type=\"image/svg+xml\" href=\"icons/f.svg\">", "https://inline.test/icons/f.svg")]
    [InlineData("<link rel=\"apple-touch-icon-precomposed\" href=\"/apple.png\">", "https://inline.test/apple.png")]
    [InlineData("<link rel=\"mask-icon\" href=\"/mask.svg\" color=\"#000\">", "https://inline.test/mask.svg")]
    public void Every_icon_rel_form_is_a_favicon(string link, string expected)
    {
        Assert.Equal(expected, FixturePages.ExtractHtml($"<html><head>{link}</head></html>").FaviconUrl);
    }

    [Theory]
    [InlineData("index.html", "https://jsonld-logo.test/wp-content/uploads/graph-co-logo.png")]
    [InlineData("string.html", "https://jsonld-logo.test/brand/string-logo.png")]
    [InlineData("imageobject.html", "https://cdn.jsonld-logo.test/daily.png")]
    [InlineData("header.html", "https://jsonld-logo.test/img/site-logo.png")]
    [InlineData("og.html", "https://jsonld-logo.test/social-card.png")]
    public void Logo_prefers_json_ld_then_a_header_image_that_says_logo_then_og_image(string path, string expected)
    {
        Assert.Equal(expected, FixturePages.Extract("jsonld-logo.test", path).LogoUrl);
    }

    [Fact]
    public void A_header_image_that_says_logo_is_the_logo_when_there_is_no_json_ld()
    {
        var page = FixturePages.Extract("wordpress-elementor.test");
        Assert.Equal("https://wordpress-elementor.test/wp-content/uploads/2023/01/lakeside-logo.png", page.LogoUrl);
    }

    [Fact]
    public void Performance_counts_follow_the_v1_definitions()
    {
        var page = FixturePages.Extract("base-href.test");
        Assert.Equal(new PagePerformance
        {
            ImageCount = 2,
            ScriptCount = 2,
            CssCount = 2,
            FormCount = 1,
            LinkCount = 4,
            TotalElements = CountElements(FixturePages.Load("base-href.test").Html.ToString()),
        }, page.Performance);
    }

    [Fact]
    public void Total_elements_counts_every_element_of_the_parsed_document()
    {
        var page = FixturePages.ExtractHtml("<p>a<b>b</b><svg><circle/></svg></p>");
        // html, head, body, p, b, svg, circle
        Assert.Equal(7, page.Performance.TotalElements);
    }

    [Fact]
    public void Absurdly_deep_nesting_is_cut_off_instead_of_stalling_the_parser()
    {
        var html = "<html><head><title>Deep</title></head><body><a href=\"mailto:top@nest.org\">x</a>"
            + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "<a href=\"mailto:deep@nest.org\">x</a>";
        var page = FixturePages.ExtractHtml(html);
        Assert.Equal("Deep", page.Title);
        Assert.Equal(["top@nest.org"], page.Emails);
        Assert.InRange(page.Performance.TotalElements, HtmlPrescan.MaxDepth, HtmlPrescan.MaxDepth + 10);
    }

    [Fact]
    public void Ordinary_markup_with_unclosed_list_items_and_void_elements_is_not_cut()
    {
        var items = string.Concat(Enumerable.Repeat("<li><img src=x.png><br>item", 5_000));
        var page = FixturePages.ExtractHtml($"<ul>{items}</ul><script>if (a<b) {{ x('<div>'); }}</script><p>end: last@list.org");
        Assert.Equal(["last@list.org"], page.Emails);
        Assert.Equal(5_000, page.Performance.ImageCount);
    }

    private static int CountElements(string html)
    {
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        using var document = parser.ParseDocument(html);
        return document.All.Length;
    }
}
