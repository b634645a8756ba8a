using Microsoft.Extensions.DependencyInjection;

namespace ScraperSky.Scanning.Tests.Extraction;

/// Contacts with their evidence and company details, scanned end to end over the fleet (homepage, contact page and
/// legal notice), with MX checks against the fixture's DNS server.
public sealed class ContactFactsScanTests(FleetFixture fixture)
{
    private const string Home = "http://impressum-de.test/";
    private const string Kontakt = "http://impressum-de.test/kontakt/";
    private const string Impressum = "http://impressum-de.test/impressum/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<SiteMetadata> ScanAsync(string domain, IReadOnlyDictionary<string, string?>? settings = null)
    {
        using var services = fixture.CreateServices(settings);
        return await services.GetRequiredService<IDomainScanner>().ScanAsync(new ScanRequest { Domain = domain, IncludeSitemaps = false }, null, Ct);
    }

    [Fact]
    public async Task Emails_carry_their_kind_their_pages_and_whether_their_domain_takes_mail()
    {
        var metadata = await ScanAsync("impressum-de.test");

        var emails = metadata.ContactInfo.EmailsDetail.ToDictionary(e => e.Email);
        Assert.Equal(metadata.ContactInfo.Email, metadata.ContactInfo.EmailsDetail.Select(e => e.Email));
        var info = emails["info@sonnenschein-brot.de"];
        Assert.Equal(("role", true), (info.Type, info.DeliverableDomain));
        Assert.Equal([Home, Kontakt, Impressum], info.Pages);
        var person = emails["anna.schmidt@sonnenschein-brot.de"];
        Assert.Equal(("personal", true), (person.Type, person.DeliverableDomain));
        Assert.Equal([Home], person.Pages);

        // A domain that does not exist, and one whose MX is the null MX "0 ." of RFC 7505, take no mail.
        Assert.False(emails["bestellung@altes-backhaus.de"].DeliverableDomain);
        Assert.False(emails["presse@sonnenschein-presse.de"].DeliverableDomain);

        // No MX but an address: the domain itself is its mail host.
        Assert.True(emails["jobs@sonnenschein-karriere.de"].DeliverableDomain);
        Assert.Equal("role", emails["jobs@sonnenschein-karriere.de"].Type);
    }

    [Fact]
    public async Task With_mx_checks_off_no_domain_is_asked_and_deliverability_is_unknown()
    {
        var before = fixture.Dns.QuestionsFor("sonnenschein-karriere.de");
        var metadata = await ScanAsync("impressum-de.test", new Dictionary<string, string?> { ["Scanning:CheckMx"] = "false" });

        Assert.NotEmpty(metadata.ContactInfo.EmailsDetail);
        Assert.All(metadata.ContactInfo.EmailsDetail, e => Assert.Null(e.DeliverableDomain));
        Assert.Equal(before, fixture.Dns.QuestionsFor("sonnenschein-karriere.de"));
    }

    [Fact]
    public async Task A_domain_answer_is_remembered_between_scans()
    {
        using var services = fixture.CreateServices();
        var scanner = services.GetRequiredService<IDomainScanner>();
        await scanner.ScanAsync(new ScanRequest { Domain = "mentions-fr.test", IncludeSitemaps = false }, null, Ct);
        var asked = fixture.Dns.QuestionsFor("atelier-lumiere.fr");
        var again = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "mentions-fr.test", IncludeSitemaps = false }, null, Ct);

        Assert.True(asked >= 1);
        Assert.Equal(asked, fixture.Dns.QuestionsFor("atelier-lumiere.fr"));
        Assert.All(again.ContactInfo.EmailsDetail, e => Assert.True(e.DeliverableDomain));
    }

    [Fact]
    public async Task Phones_carry_their_pages_type_and_region()
    {
        var metadata = await ScanAsync("impressum-de.test");

        var phones = metadata.ContactInfo.Phones.ToDictionary(p => p.E164);
        Assert.Equal([Home, Impressum], phones["+493012345678"].Pages);
        Assert.Equal("fixed_line", phones["+493012345678"].Type);
        Assert.Equal("DE", phones["+493012345678"].Region);
        Assert.Equal([Kontakt], phones["+4915123456789"].Pages);
        Assert.Equal("mobile", phones["+4915123456789"].Type);
    }

    [Fact]
    public async Task Numbers_without_a_cue_count_in_footers_and_legal_notices_but_not_numbers_that_are_not_phones()
    {
        var metadata = await ScanAsync("impressum-de.test");

        // Footer and Impressum numbers without a cue are in; the fax, the order number, the tax number, the date, the
        // price and the postcode next to phone words are not.
        Assert.Equal(["+4915123456789", "+493012345678", "+493061234567", "+493098765432"],
            metadata.ContactInfo.Phones.Select(p => p.E164).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Social_profiles_name_the_pages_that_link_them()
    {
        var metadata = await ScanAsync("impressum-de.test");

        Assert.Equal("https://facebook.com/SonnenscheinBrot", metadata.SocialLinks.Facebook);
        var profile = Assert.Single(metadata.SocialProfiles);
        Assert.Equal(("facebook", "https://facebook.com/SonnenscheinBrot"), (profile.Platform, profile.Url));
        Assert.Equal([Home, Impressum], profile.Pages);
    }

    [Fact]
    public async Task A_German_Impressum_gives_the_company_each_fact_with_its_page()
    {
        var company = (await ScanAsync("impressum-de.test")).Company;

        Assert.NotNull(company);
        Assert.Equal(new SourcedValue("Bäckerei Sonnenschein GmbH", Impressum), company.LegalName);
        Assert.Equal(new PostalAddress("Sonnenallee 1", "12045", "Berlin", "DE", Impressum), company.Address);
        Assert.Equal(new SourcedValue("DE", Impressum), company.Country);
        Assert.Equal(new SourcedValue("DE301234567", Impressum), company.VatId);
        Assert.Equal([new RegistrationId("handelsregister", "HRB 123456 B", Impressum)], company.RegistrationIds);
        Assert.Equal([new SourcedValue("Anna Schmidt", Impressum), new SourcedValue("Jonas Weber", Impressum)], company.ManagingDirectors);
    }

    [Fact]
    public async Task French_mentions_legales_give_the_company_and_the_hosting_provider_stays_out()
    {
        const string Mentions = "http://mentions-fr.test/mentions-legales/";
        var metadata = await ScanAsync("mentions-fr.test");
        var company = metadata.Company;

        Assert.NotNull(company);
        Assert.Equal(new SourcedValue("Atelier Lumière SARL", Mentions), company.LegalName);
        Assert.Equal(new PostalAddress("12 rue de la Paix", "75002", "Paris", "FR", Mentions), company.Address);
        Assert.Equal(new SourcedValue("FR44552100554", Mentions), company.VatId);
        Assert.Equal(
            [new RegistrationId("siret", "55210055400013", Mentions), new RegistrationId("siren", "552100554", Mentions)],
            company.RegistrationIds);
        Assert.Equal([new SourcedValue("Pierre Dupont", Mentions)], company.ManagingDirectors);
        Assert.Equal(["+33142685300"], metadata.ContactInfo.Phones.Select(p => p.E164));
        Assert.Equal(["role", "personal"], metadata.ContactInfo.EmailsDetail.Select(e => e.Type));
    }

    [Fact]
    public async Task A_json_ld_address_gives_the_company_and_the_region_of_national_numbers()
    {
        const string Page = "http://jsonld-company.test/";
        var metadata = await ScanAsync("jsonld-company.test");

        // The page is in English, which alone would read "01 534 4440" as a US number; the address says Austria.
        var phone = Assert.Single(metadata.ContactInfo.Phones);
        Assert.Equal(("+4315344440", "AT", "fixed_line"), (phone.E164, phone.Region, phone.Type));
        Assert.Equal(new SourcedValue("Alpenblick Hotelbetriebs GmbH", Page), metadata.Company?.LegalName);
        Assert.Equal(new PostalAddress("Kärntner Straße 5", "1010", "Wien", "AT", Page), metadata.Company?.Address);
        Assert.Equal(new SourcedValue("ATU12345678", Page), metadata.Company?.VatId);
        Assert.Equal(["reservations@alpenblick-hotel.at", "m.huber@alpenblick-hotel.at"], metadata.ContactInfo.Email);
        Assert.Equal(["role", "personal"], metadata.ContactInfo.EmailsDetail.Select(e => e.Type));
    }

    [Fact]
    public async Task Phone_cues_addresses_and_footers_find_numbers_and_traps_next_to_cues_stay_out()
    {
        var metadata = await ScanAsync("phone-cues.test");

        Assert.Equal(["+13125550120", "+13125550134", "+13125550143", "+18005550199"],
            metadata.ContactInfo.Phones.Select(p => p.E164).Order(StringComparer.Ordinal));
        Assert.Equal("toll_free", metadata.ContactInfo.Phones.Single(p => p.E164 == "+18005550199").Type);
        Assert.Equal(new PostalAddress("233 S Wacker Dr", "60606", "Chicago", "US", "http://phone-cues.test/"), metadata.Company?.Address);
    }
}
