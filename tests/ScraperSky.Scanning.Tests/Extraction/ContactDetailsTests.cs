using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

/// Unit tests of the contact and company finders on inline pages: cue words across languages, email kinds, legal
/// notice pages and the shapes of VAT and register ids.
public sealed class ContactDetailsTests
{
    [Theory]
    [InlineData("en-US", "https://shop.com/", "<p>Office (312) 555-0143</p>", "+13125550143")]
    [InlineData("de", "https://baeckerei.test/", "<p>Rufen Sie uns an: 030 12345678</p>", "+493012345678")]
    [InlineData("fr", "https://atelier.test/", "<p>Tél : 01 42 68 53 00 (du lundi au vendredi)</p>", "+33142685300")]
    [InlineData("es", "https://tienda.test/", "<p>Llámanos al 912 345 678 de lunes a viernes</p>", "+34912345678")]
    [InlineData("it", "https://negozio.test/", "<p>Chiamaci: 06 1234 5678, dal lunedì al venerdì</p>", "+390612345678")]
    [InlineData("nl", "https://winkel.test/", "<p>Bel ons op 020 123 4567 tijdens kantooruren</p>", "+31201234567")]
    public void Phone_cues_in_each_language_find_the_number_after_them(string lang, string url, string body, string e164)
    {
        var page = FixturePages.ExtractHtml($"<html lang=\"{lang}\"><body>{body}</body></html>", url);
        Assert.Equal([e164], page.Phones.Select(p => p.E164));
    }

    [Theory]
    [InlineData("<p>Telefon: Bestellnummer 3012345678</p>")]
    [InlineData("<p>Tel. Kundennummer 030 1234 5678</p>")]
    [InlineData("<p>Telefon / USt-IdNr. DE 301234567</p>")]
    [InlineData("<p>Telefonisch erreichbar ab 12.05.2024</p>")]
    [InlineData("<address>Musterweg 3, 12045 Berlin, Steuernummer 30 1234 5678</address>")]
    public void Numbers_next_to_phone_words_that_are_not_phones_stay_out(string body)
    {
        var page = FixturePages.ExtractHtml($"<html lang=\"de\"><body>{body}</body></html>", "https://baeckerei.test/");
        Assert.Empty(page.Phones);
    }

    [Theory]
    [InlineData("info@shop.de", "role")]
    [InlineData("Sales-EU@shop.de", "role")]
    [InlineData("kontakt@shop.de", "role")]
    [InlineData("info.berlin@shop.de", "role")]
    [InlineData("bonjour@atelier.fr", "role")]
    [InlineData("anna.schmidt@shop.de", "personal")]
    [InlineData("jweber@shop.de", "personal")]
    public void Emails_are_told_apart_as_role_or_personal(string address, string kind)
    {
        Assert.Equal(kind, EmailKind.Of(address));
    }

    [Theory]
    [InlineData("https://shop.de/impressum", null, true)]
    [InlineData("https://atelier.fr/mentions-l%C3%A9gales/", null, true)]
    [InlineData("https://tienda.es/p/42", "Aviso legal | Tienda", true)]
    [InlineData("https://negozio.it/note-legali", null, true)]
    [InlineData("https://winkel.nl/colofon", null, true)]
    [InlineData("https://shop.de/kontakt", "Kontakt", false)]
    public void Legal_notice_pages_are_known_by_path_or_title(string url, string? title, bool legal)
    {
        Assert.Equal(legal, ContactPageSelector.IsLegalNotice(new Uri(url), title));
    }

    [Fact]
    public void The_contact_page_selector_picks_legal_notices_in_each_language()
    {
        var home = new Uri("https://shop.test/");
        string[] hrefs = ["/mentions-legales/", "/aviso-legal", "/note-legali", "/colofon", "/blog/post"];
        var links = hrefs.Select(h => new PageLink(home, h, string.Empty)).ToList();

        Assert.Equal(4, ContactPageSelector.Select(home, links, 10).Count);
    }

    [Theory]
    [InlineData("DE 301 234 567", "DE301234567")]
    [InlineData("ATU 12345678", "ATU12345678")]
    [InlineData("FR 44 552100554", "FR44552100554")]
    [InlineData("NL 8123.45.678.B01", "NL812345678B01")]
    [InlineData("DE 30123456", null)]
    [InlineData("XX123456789", null)]
    public void Vat_ids_are_normalised_and_only_kept_in_a_member_state_shape(string written, string? expected)
    {
        Assert.Equal(expected, CompanyFinder.VatId(written));
    }

    [Fact]
    public void Register_ids_of_each_country_are_read_after_their_labels_and_checksums_are_checked()
    {
        var page = FixturePages.ExtractHtml("""
            <html lang="en"><body><footer>
            <p>Partita IVA: 01234567897</p>
            <p>KvK-nummer: 12345678</p>
            <p>CIF: B12345678</p>
            <p>Registered in England and Wales No. 01234567</p>
            <p>SIREN 552 100 555</p>
            </footer></body></html>
            """, "https://shop.test/");

        Assert.Equal(
            [("partita_iva", "01234567897"), ("kvk", "12345678"), ("cif", "B12345678"), ("company_number", "01234567")],
            page.Company!.RegistrationIds.Select(r => (r.Type, r.Value)));
        Assert.Equal("IT01234567897", page.Company.VatId?.Value);
    }

    [Fact]
    public void Directors_are_read_in_each_language_without_their_titles()
    {
        string[] lines =
        [
            "Geschäftsführerin: Dr. Maria Keller", "Gérante : Mme Claire Martin", "Administrador único: D. Javier López",
            "Amministratore unico: Dott. Marco Rossi", "Bestuurder: Jan de Vries", "Managing Director: Sarah O'Neill",
        ];
        var page = FixturePages.ExtractHtml(
            $"<html><body>{string.Concat(lines.Select(l => $"<p>{l}</p>"))}</body></html>", "https://shop.test/");

        Assert.Equal(["Maria Keller", "Claire Martin", "Javier López", "Marco Rossi", "Jan de Vries"],
            page.Company!.ManagingDirectors.Select(d => d.Value));
    }
}
