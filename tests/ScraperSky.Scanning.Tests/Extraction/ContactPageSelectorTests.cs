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
    [Fact]
    public void Upper_case_accents_sharp_s_underscores_and_escapes_fold_to_the_words()
    {
        var selected = ContactPageSelector.Select(Home,
        [
            Link("/p/1", "ÜBER UNS"),
            Link("/p/2", "Großhandel – Kontakt"),
            Link("/p/3_mentions_legales", string.Empty),
            Link("/%C3%BCber-uns/", string.Empty),
            Link("/p/4", "QUIÉNES SOMOS"),
            Link("/p/5", "Strasse"),
        ], max: 10);

        Assert.Equal(
            ["https://www.acme.de/p/2", "https://www.acme.de/p/3_mentions_legales", "https://www.acme.de/p/1", "https://www.acme.de/p/4",
                "https://www.acme.de/%C3%BCber-uns/"],
            selected.Select(u => u.AbsoluteUri));
    }

    [Fact]
    public void A_word_does_not_span_the_path_and_the_text()
    {
        Assert.Empty(ContactPageSelector.Select(Home, [Link("/p/kon", "takt"), Link("/p/im", "pressum")], max: 5));
    }

    [Fact]
    public void Link_text_longer_than_the_stack_buffer_is_still_read_to_its_end()
    {
        var selected = ContactPageSelector.Select(Home, [Link("/p/9", new string('x', 2_000) + " Kontakt")], max: 5);

        Assert.Equal(["https://www.acme.de/p/9"], selected.Select(u => u.AbsoluteUri));
    }

    [Fact]
    public void Unicode_and_punycode_forms_of_an_idn_host_and_its_www_form_are_the_same_site()
    {
        var home = new Uri("https://xn--mnchen-3ya.de/");
        var selected = ContactPageSelector.Select(home,
        [
            new PageLink(home, "https://münchen.de/kontakt", "Kontakt"),
            new PageLink(home, "https://WWW.xn--mnchen-3ya.de/impressum", "Impressum"),
            new PageLink(home, "https://münchen.example/kontakt", "Kontakt"),
            new PageLink(home, "https://www.münchen.de/kontakt/#form", "Kontakt"),
        ], max: 5);

        Assert.Equal(2, selected.Count);
        Assert.Equal(["/kontakt", "/impressum"], selected.Select(u => u.AbsolutePath));
        Assert.All(selected, u => Assert.Equal("xn--mnchen-3ya.de", u.IdnHost.Replace("www.", string.Empty, StringComparison.Ordinal)));
    }

    [Fact]
    public void Each_level_past_the_second_costs_three_points()
    {
        var selected = ContactPageSelector.Select(Home,
        [
            Link("/a/b/c/d/e/contact", "Contact"),
            Link("/a/b/c/d/contact", "Contact"),
            Link("/de/unternehmen/kontakt/", "Kontakt"),
            Link("/de/team", "Team"),
        ], max: 10);

        Assert.Equal(["/de/team", "/de/unternehmen/kontakt/", "/a/b/c/d/contact"], selected.Select(u => u.AbsolutePath));
    }

    [Fact]
    public void Ties_go_to_the_shorter_path_then_to_the_link_that_came_first()
    {
        Assert.Equal(["/team-b", "/team-a", "/our-team"],
            ContactPageSelector.Select(Home, [Link("/our-team", "Team"), Link("/team-b", "Team"), Link("/team-a", "Team")], max: 5)
                .Select(u => u.AbsolutePath));
        Assert.Equal(["/team-a", "/team-b"],
            ContactPageSelector.Select(Home, [Link("/team-a", "Team"), Link("/team-b", "Team")], max: 5).Select(u => u.AbsolutePath));
    }

    [Fact]
    public void The_homepage_with_its_own_query_is_skipped_but_another_query_is_a_page()
    {
        var home = new Uri("https://acme.de/?lang=de");
        var selected = ContactPageSelector.Select(home,
            [new PageLink(home, "/?lang=de", "Kontakt"), new PageLink(home, "/?lang=en", "Contact")], max: 5);

        Assert.Equal(["https://acme.de/?lang=en"], selected.Select(u => u.AbsoluteUri));
    }
    [Fact]
    public void A_relative_link_takes_the_words_of_the_path_it_is_resolved_against()
    {
        var under = new Uri("https://www.acme.de/kontakt/");
        var selected = ContactPageSelector.Select(Home,
            [new PageLink(under, "berlin", "Berlin"), new PageLink(Home, "berlin", "Berlin")], max: 5);

        Assert.Equal(["https://www.acme.de/kontakt/berlin"], selected.Select(u => u.AbsoluteUri));
    }

    /// Once enough pages score, a link that cannot reach them is passed over unresolved, its depth read from its href
    /// where that tells it; dot segments do not, as resolution drops them.
    [Fact]
    public void A_link_whose_dot_segments_make_it_shallow_still_competes_once_enough_pages_score()
    {
        var links = Enumerable.Range(1, 6).Select(i => Link($"/contact-{i}", "Contact")).ToList();
        links.Add(Link("/a/b/c/d/contact-7", "Contact"));
        links.Add(Link("/a/b/c/../../../kontakt", "Kontakt"));

        Assert.Equal(["/kontakt", "/contact-1", "/contact-2"],
            ContactPageSelector.Select(Home, links, max: 3).Select(u => u.AbsolutePath));
    }

    /// The vectorised fold of ASCII paths and texts writes what a character at a time writes: lower case, `_` (and a
    /// text's spaces) as dashes, controls dropped where asked; accents and `ß` as before.
    [Fact]
    public void A_fold_writes_what_a_character_at_a_time_writes()
    {
        const string ascii = "aZ_ -/%09\t\u0001\u007F";
        const string beyond = "ÜßéÀı\u212A";
        var random = new Random(7);
        Span<char> fast = stackalloc char[64];
        Span<char> slow = stackalloc char[64];
        for (var n = 0; n < 20_000; n++)
        {
            var alphabet = random.Next(4) == 0 ? ascii + beyond : ascii;
            var value = string.Create(random.Next(0, 30), alphabet, (chars, a) =>
            {
                for (var i = 0; i < chars.Length; i++)
                {
                    chars[i] = a[random.Next(a.Length)];
                }
            });
            var textSpaces = random.Next(2) == 0;
            var dropControls = random.Next(2) == 0;
            var written = ContactPageSelector.Fold(value, fast, textSpaces, dropControls);
            var expected = FoldByCharacter(value, slow, textSpaces, dropControls);
            Assert.True(fast[..written].SequenceEqual(slow[..expected]), $"'{value}' {textSpaces} {dropControls}");
        }
    }

    private static int FoldByCharacter(ReadOnlySpan<char> value, Span<char> into, bool textSpaces, bool dropControls)
    {
        var n = 0;
        foreach (var original in value)
        {
            var c = char.ToLowerInvariant(original);
            if (c < 0x20 && dropControls)
            {
                continue;
            }

            if (c < 0x80)
            {
                into[n++] = c == '_' || (textSpaces && c == ' ') ? '-' : c;
            }
            else if (c == 'ß')
            {
                into[n++] = 's';
                into[n++] = 's';
            }
            else
            {
                into[n++] = c switch
                {
                    'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' => 'a',
                    'ç' => 'c',
                    'è' or 'é' or 'ê' or 'ë' => 'e',
                    'ì' or 'í' or 'î' or 'ï' => 'i',
                    'ñ' => 'n',
                    'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ø' => 'o',
                    'ù' or 'ú' or 'û' or 'ü' => 'u',
                    'ý' or 'ÿ' => 'y',
                    _ => c,
                };
            }
        }

        return n;
    }
}
