using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

/// What every fixture page yields (phones, emails, links, the contact pages chosen from a homepage), pinned to the
/// values the extractor gave before its finders were made cheaper: a faster phone scan or link choice must find the
/// same things. extraction-pins.txt holds one line per page.
public sealed class ExtractionPinTests
{
    private static readonly string[] Words =
    [
        "service", "quality", "team", "customers", "delivery", "design", "garden", "repair", "office", "support", "project",
        "local", "family", "fast", "reliable", "price", "offer", "season", "experience", "contact", "order", "today",
    ];

    [Fact]
    public void Every_fixture_page_yields_its_pinned_phones_emails_links_and_contact_pages()
    {
        var sites = Path.Combine(AppContext.BaseDirectory, "Sites");
        var lines = new List<string>();
        foreach (var file in Directory.GetFiles(sites, "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(sites, file).Replace('\\', '/');
            var host = relative[..relative.IndexOf('/')];
            var path = relative[(host.Length + 1)..];
            var page = FixturePages.Extract(host, path);
            var selected = path == "index.html" ? ContactPageSelector.Select(page.Page.FinalUrl, page.Links, max: 6) : [];
            lines.Add($"{relative}: phones [{string.Join(' ', page.Phones.Select(p => p.E164))}]"
                + $" emails [{string.Join(' ', page.Emails)}] links {page.Links.Count}"
                + $" selected [{string.Join(' ', selected.Select(u => u.AbsoluteUri))}]");
        }

        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Extraction", "extraction-pins.txt"));
        Assert.Equal(expected, lines);
    }

    /// A contact page is read without its links (only a homepage's are chosen from), and yields the same facts.
    [Fact]
    public void A_page_read_without_its_links_yields_the_same_facts_and_no_links()
    {
        var sites = Path.Combine(AppContext.BaseDirectory, "Sites");
        var withLinks = 0;
        foreach (var file in Directory.GetFiles(sites, "*.html", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var url = new Uri("https://fixture.test/contact/");
            var html = File.ReadAllText(file);
            var full = FixturePages.Extractor.Extract(FixturePages.Page(url, html), cancellationToken: TestContext.Current.CancellationToken);
            var lean = FixturePages.Extractor.Extract(FixturePages.Page(url, html), links: false, cancellationToken: TestContext.Current.CancellationToken);
            withLinks += full.Links.Count > 0 ? 1 : 0;
            Assert.Empty(lean.Links);
            Assert.Equal(Facts(full), Facts(lean));
        }

        Assert.True(withLinks > 10);
    }

    private static string Facts(PageExtraction page) => string.Join(" | ",
        page.Title, page.Language, page.LogoUrl, page.FaviconUrl, string.Join(' ', page.Phones.Select(p => p.E164)),
        string.Join(' ', page.Emails), string.Join(' ', page.SocialProfileUrls), page.Company?.LegalName,
        string.Join(' ', page.Technologies.Select(t => t.Name)), page.Performance.LinkCount, page.IsLegalNotice);

    /// A homepage like the benchmark corpus's: a menu of 60 links and hundreds of article links whose texts name
    /// team, support, contact ... so most links may score and the choice is among many.
    [Fact]
    public void A_homepage_of_hundreds_of_links_that_may_score_keeps_its_choice()
    {
        var home = new Uri("https://site7.example-corpus.de/");
        var links = new List<PageLink>();
        for (var i = 0; i < 60; i++)
        {
            links.Add(new PageLink(home, $"/{Words[i % Words.Length]}-{i}/", Words[(i * 7) % Words.Length]));
        }

        for (var article = 0; article < 60; article++)
        {
            for (var l = 0; l < 6; l++)
            {
                var n = (article * 6) + l;
                links.Add(new PageLink(home, $"/blog/{article}/{l}",
                    $"{Words[(n * 5) % Words.Length]} {Words[(n * 11) % Words.Length]} {Words[(n * 13) % Words.Length]}"));
            }
        }

        links.Add(new PageLink(home, "/kontakt/", "Kontakt"));
        links.Add(new PageLink(home, "/impressum", "Impressum"));

        Assert.Equal(ExpectedChoice, ContactPageSelector.Select(home, links, max: 6).Select(u => u.AbsoluteUri));
        Assert.Equal(ExpectedChoiceOfThree, ContactPageSelector.Select(home, links, max: 3).Select(u => u.AbsoluteUri));
    }

    private static readonly string[] ExpectedChoice =
    [
        "https://site7.example-corpus.de/kontakt/",
        "https://site7.example-corpus.de/support-9/",
        "https://site7.example-corpus.de/contact-19/",
        "https://site7.example-corpus.de/support-31/",
        "https://site7.example-corpus.de/contact-41/",
        "https://site7.example-corpus.de/support-53/",
    ];

    private static readonly string[] ExpectedChoiceOfThree =
    [
        "https://site7.example-corpus.de/kontakt/",
        "https://site7.example-corpus.de/support-9/",
        "https://site7.example-corpus.de/contact-19/",
    ];
}
