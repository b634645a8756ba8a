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
}
