using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

public sealed class ContactPageSelectorTests
{
    private static readonly Uri Home = new("https://www.acme.de/");

    private static PageLink Link(string url, string text = "") => new(Home, url, text);

    [Fact]
    public void Contact_and_imprint_pages_come_first_and_other_sites_are_ignored()
    {
        var selected = ContactPageSelector.Select(Home,
        [
            Link("/produkte/", "Produkte"),
            Link("/ueber-uns/", "Über uns"),
            Link("https://partner.example/contact", "Partner contact"),
            Link("/impressum", "Impressum"),
            Link("/kontakt/#form", "Kontakt"),
            Link("/kontakt/", "Schreiben Sie uns"),
            Link("https://acme.de/team", "Das Team"),
        ], max: 5);

        Assert.Equal(
            ["https://www.acme.de/kontakt/", "https://www.acme.de/impressum", "https://www.acme.de/ueber-uns/", "https://acme.de/team"],
            selected.Select(u => u.AbsoluteUri));
    }

    [Fact]
    public void Link_text_in_other_languages_and_with_accents_counts()
    {
        var selected = ContactPageSelector.Select(Home,
        [
            Link("/p/17", "Nous contacter"),
            Link("/p/18", "À propos"),
            Link("/p/19", "Blog"),
        ], max: 5);

        Assert.Equal(["https://www.acme.de/p/17", "https://www.acme.de/p/18"], selected.Select(u => u.AbsoluteUri));
    }

    [Fact]
    public void The_homepage_assets_and_deep_articles_are_not_candidates()
    {
        var selected = ContactPageSelector.Select(Home,
        [
            Link("/", "Contact"),
            Link("/kontakt.pdf", "Kontakt (PDF)"),
            Link("/contact", "Contact"),
            Link("/blog/2021/05/17/how-we-contacted-our-customers/", "How we contacted our customers"),
        ], max: 5);

        Assert.Equal(["https://www.acme.de/contact"], selected.Select(u => u.AbsoluteUri));
    }

    [Fact]
    public void At_most_the_requested_number_of_pages_is_chosen()
    {
        var links = Enumerable.Range(1, 20).Select(i => Link($"/contact-{i}", "Contact")).ToList();
        Assert.Equal(3, ContactPageSelector.Select(Home, links, max: 3).Count);
        Assert.Empty(ContactPageSelector.Select(Home, links, max: 0));
    }
}
