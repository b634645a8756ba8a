using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

public sealed class PhoneExtractionTests
{
    private static readonly PageExtraction Traps = FixturePages.Extract("contact-traps.test");

    [Fact]
    public void The_region_comes_from_the_page_language_when_the_domain_says_nothing()
    {
        Assert.Equal("DE", Traps.Region);
    }

    [Fact]
    public void A_national_number_after_a_phone_label_is_read_in_the_site_region()
    {
        Assert.Contains(Traps.Phones, p => p.E164 == "+493012345678" && p.Display == "+49 30 12345678");
    }

    [Fact]
    public void Tel_links_are_read_with_their_e164_form()
    {
        Assert.Contains(Traps.Phones, p => p.E164 == "+493098765432");
    }

    [Fact]
    public void International_numbers_keep_their_own_country()
    {
        Assert.Contains(Traps.Phones, p => p.E164 == "+4315344440");
    }

    [Fact]
    public void Fax_numbers_dates_prices_order_ids_vat_and_register_numbers_are_not_phones()
    {
        Assert.Equal(["+4315344440", "+493012345678", "+493098765432"], Traps.Phones.Select(p => p.E164).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("<p>Phone: (612) 555-0143</p>", "https://shop.com/", "+16125550143")]
    [InlineData("<dl><dt>Telephone</dt><dd>020 7946 0321</dd></dl>", "https://shop.co.uk/", "+442079460321")]
    [InlineData("<footer><span>(612) 555-0143</span></footer>", "https://shop.com/", "+16125550143")]
    [InlineData("<p><strong>Tel.</strong> +33 1 42 68 53 00</p>", "https://boutique.fr/", "+33142685300")]
    public void Numbers_written_as_phones_are_found(string body, string url, string e164)
    {
        var page = FixturePages.ExtractHtml($"<html lang=\"en\"><body>{body}</body></html>", url);
        Assert.Equal([e164], page.Phones.Select(p => p.E164));
    }

    [Theory]
    [InlineData("<p>We have served 6125550143 customers since 2001.</p>")]
    [InlineData("<p>Invoice 2024-01-15, total $1,299.00</p>")]
    [InlineData("<p>Order id: 4155550132</p>")]
    [InlineData("<p>Fax: (612) 555-0199</p>")]
    [InlineData("<p>Call us on 555-0100</p>")]
    [InlineData("<p>Tel: 123 456 7890</p>")]
    public void Numbers_that_are_not_valid_phones_in_context_are_ignored(string body)
    {
        var page = FixturePages.ExtractHtml($"<html lang=\"en-US\"><body>{body}</body></html>", "https://shop.com/");
        Assert.Empty(page.Phones);
    }

    [Fact]
    public void Prices_dates_and_opening_hours_beside_a_phone_cue_cost_libphonenumber_no_exceptions()
    {
        const string text = "Telefon: 030 1234567. Preis ab 594,00 €. Stand: 14.7.2024. Anrufe Mo–Fr 9:00–18:00 Uhr, Sa 10:00.\n"
            + "Rufen Sie an: 1.234,50 € ab 5.6.2024 sind 12 Tage\n";
        var found = new List<PhoneNumberInfo>();
        var thrown = ThrownOnThisThread(() => PhoneFinder.FindIn(text, "DE", found));

        Assert.Equal(["+49301234567"], found.Select(p => p.E164));
        Assert.Empty(thrown);
    }

    [Theory]
    [InlineData("Phone: (612) 555-0143 ext. 12", "+1 612-555-0143 ext. 12")]
    [InlineData("Tel. 030 1234567, Preis ab 594,00 €", "+49 30 1234567")]
    public void A_number_next_to_blanked_digits_reads_as_before(string text, string display)
    {
        var found = new List<PhoneNumberInfo>();
        PhoneFinder.FindIn(text, text.StartsWith("Phone", StringComparison.Ordinal) ? "US" : "DE", found);
        Assert.Equal([display], found.Select(p => p.Display));
    }

    /// Numbers a non-phone cue refuses are left out before libphonenumber's matcher; what it reads next to them reads
    /// as when it read them too.
    [Theory]
    [InlineData("order 06 12345678 TELÉFONO 030 EXT. 1212", "DE", "+49 30 398")]
    [InlineData("Fax: 030 1234568 ext. 12, Tel: 030 1234567", "DE", "+49 30 1234567")]
    [InlineData("Tel. 030 1234567, ext. 4567 Bestellnummer", "DE", "+49 30 1234567 ext. 4567")]
    [InlineData("Bestellnummer 964376702. Telefon: 030 2345678", "DE", "+49 30 2345678")]
    [InlineData("Fax (612) 555-0199 x 12 or call (612) 555-0143", "US", "+1 612-555-0143")]
    [InlineData("VAT no. +44 20 7946 0321", "GB", "")]
    [InlineData("Rechnung 12345678\n+49 30 1234567", "DE", "")]
    [InlineData("Kundennummer: 030 1234567 / Hotline: 030 7654321", "DE", "+49 30 7654321")]
    [InlineData("Fax: +49 30 1234568 Tel: +49 30 1234567", "DE", "+49 30 1234567")]
    [InlineData("Phone: (612) 555-0143, order 612 555 0100 ext 25", "US", "+1 612-555-0143")]
    [InlineData("Telefon 030 1234567 Fax 030 1234568 ext. 99", "DE", "+49 30 1234567")]
    [InlineData("Auftrag 4711 4712, Telefon 0301234567", "DE", "+49 30 1234567")]

    // The non-phone cue is out of reach of the `+` opening the number within the same digit group.
    [InlineData("Fax 1234567890123456789012345678901234567890 +49 30 1234567", "DE", "+49 30 1234567")]
    public void Numbers_next_to_ones_a_non_phone_cue_refuses_read_as_before(string text, string region, string displays)
    {
        var found = new List<PhoneNumberInfo>();
        PhoneFinder.FindIn(text, region, found);
        Assert.Equal(displays.Length == 0 ? [] : displays.Split(" | "), found.Select(p => p.Display));
    }

    /// Describing reads the calling code and national number back from the E.164 form instead of parsing it: every
    /// region's example numbers of every type (national numbers with leading zeros among them: Italy, Côte d'Ivoire ...)
    /// and the global network numbers get the type and country parsing gives.
    [Fact]
    public void Describing_a_number_gives_the_type_and_country_parsing_gives()
    {
        var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
        var numbers = util.GetSupportedRegions()
            .SelectMany(region => Enum.GetValues<PhoneNumbers.PhoneNumberType>().Select(type => util.GetExampleNumberForType(region, type)))
            .Concat(util.GetSupportedGlobalNetworkCallingCodes().Select(util.GetExampleNumberForNonGeoEntity))
            .OfType<PhoneNumbers.PhoneNumber>()
            .ToList();
        Assert.Contains(numbers, n => n.NumberOfLeadingZeros > 0);
        foreach (var number in numbers)
        {
            var e164 = util.Format(number, PhoneNumbers.PhoneNumberFormat.E164);
            var parsed = util.Parse(e164, "ZZ");
            var described = PhoneFinder.Describe(new PhoneNumberInfo("display", e164));
            Assert.Equal((util.GetNumberType(parsed).ToString().ToLowerInvariant(), util.GetRegionCodeForNumber(parsed)),
                (described.Type, described.Region));
        }
    }

    [Theory]
    [InlineData("+999123456")]
    [InlineData("+49 30 1234567")]
    [InlineData("")]
    public void A_number_without_a_known_calling_code_is_left_undescribed(string e164)
    {
        var phone = new PhoneNumberInfo("display", e164);
        Assert.Same(phone, PhoneFinder.Describe(phone));
    }

    [Theory]
    [InlineData("tel:7")]
    [InlineData("tel:%2B")]
    [InlineData("tel:00")]
    public void Tel_links_too_short_to_be_phones_are_rejected_without_an_exception(string href)
    {
        var parsed = true;
        Assert.Empty(ThrownOnThisThread(() => parsed = PhoneFinder.TryParseTel(href, "DE", out _)));
        Assert.False(parsed);
    }

    /// The messages of the exceptions thrown (and caught) on this thread while <paramref name="action"/> runs: tests
    /// run in parallel, so other threads' exceptions are left out.
    private static List<string> ThrownOnThisThread(Action action)
    {
        var thread = Environment.CurrentManagedThreadId;
        var thrown = new List<string>();
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                thrown.Add(e.Exception.Message);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            action();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        return thrown;
    }

    [Fact]
    public void Json_ld_telephone_and_country_are_used()
    {
        var page = FixturePages.Extract("jsonld-logo.test");
        Assert.Equal("US", page.Region);
        Assert.Equal(["+14155550132"], page.Phones.Select(p => p.E164));
        Assert.Equal(["hello@graph-co.com"], page.Emails);
    }

    [Fact]
    public void A_contact_page_without_hints_reads_national_numbers_in_the_site_region()
    {
        var page = FixturePages.Extractor.Extract(
            FixturePages.Page(new Uri("https://shop.test/contact"), "<p>Telefon: 030 12345678</p>"), siteRegion: "DE",
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["+493012345678"], page.Phones.Select(p => p.E164));
    }

    private const string Filler = "Our family business has offered reliable garden design, repair and seasonal care to local customers "
        + "for many years, with fair prices, fast delivery and a team that answers every question personally. ";

    [Theory]
    [InlineData(Filler + "Call us on (612) 555-0143 or visit us. " + Filler, "+16125550143")]
    [InlineData(Filler + Filler + "Questions? Our hotline: +1 612 555 0143, weekdays 9-5. " + Filler, "+16125550143")]
    [InlineData(Filler + "Reach our office at +44 20 7946 0321 from abroad. " + Filler, "+442079460321")]
    [InlineData(Filler + "Phone: (612) 555-0143, fax: (612) 555-0199, order 20240115 of 12.03.2024 for $1,299.00. " + Filler, "+16125550143")]
    public void Numbers_inside_long_paragraphs_are_found_near_their_cue(string paragraph, string e164)
    {
        var page = FixturePages.ExtractHtml($"<html lang=\"en-US\"><body><p>{paragraph}</p></body></html>", "https://shop.com/");
        Assert.Equal([e164], page.Phones.Select(p => p.E164));
    }

    [Theory]
    [InlineData(Filler + "Unser Büro ist werktags unter 030 2345678 besetzt. " + Filler, "https://baeckerei.de/", "+49302345678")]
    [InlineData(Filler + "BÜRO 030 2345678, montags geschlossen. " + Filler, "https://baeckerei.de/", "+49302345678")]
    [InlineData(Filler + "Du lundi au vendredi, TÉL 01 42 68 53 00 sans attente. " + Filler, "https://boutique.fr/", "+33142685300")]
    [InlineData(Filler + "Móvil 612 345 678 todos los días. " + Filler, "https://tienda.es/", "+34612345678")]
    [InlineData(Filler + "Questions? 📞 (612) 555-0143, weekdays. " + Filler, "https://shop.com/", "+16125550143")]
    public void Cues_with_letters_beyond_ascii_count_in_any_case_inside_long_paragraphs(string paragraph, string url, string e164)
    {
        var page = FixturePages.ExtractHtml($"<html><body><p>{paragraph}</p></body></html>", url);
        Assert.Equal([e164], page.Phones.Select(p => p.E164));
    }

    [Theory]
    [InlineData("Teléfono, CÓDIGO POSTAL: 612 345 678", false)]
    [InlineData("CÓDIGO POSTAL, Teléfono: 612 345 678", true)]
    public void A_non_phone_cue_beyond_ascii_in_any_case_keeps_out_a_number_it_stands_nearer_to(string sentence, bool phone)
    {
        var page = FixturePages.ExtractHtml($"<html><body><p>{Filler}{sentence}. {Filler}</p></body></html>", "https://tienda.es/");
        Assert.Equal(phone ? ["+34612345678"] : [], page.Phones.Select(p => p.E164));
    }

    [Fact]
    public void A_label_ending_the_line_before_a_long_paragraph_counts_for_the_number_opening_it()
    {
        var page = FixturePages.ExtractHtml(
            $"<html lang=\"en-US\"><body><dl><dt>{Filler}Telephone</dt><dd>(612) 555-0143 {Filler}</dd></dl></body></html>",
            "https://shop.com/");
        Assert.Equal(["+16125550143"], page.Phones.Select(p => p.E164));
    }

    [Fact]
    public void A_number_far_after_its_cue_in_a_long_paragraph_is_not_a_phone()
    {
        var page = FixturePages.ExtractHtml(
            $"<html lang=\"en-US\"><body><p>Call {Filler} 6125550143 {Filler}</p></body></html>", "https://shop.com/");
        Assert.Empty(page.Phones);
    }

    /// The digit count skips from a digit to the next without a search where they run together: it must count as a
    /// plain count does, runs, lone digits and digits ending the line alike.
    [Fact]
    public void Counting_digits_in_runs_gives_what_a_plain_count_gives()
    {
        var random = new Random(20261203);
        for (var i = 0; i < 20_000; i++)
        {
            var line = new string([.. Enumerable.Range(0, random.Next(12)).Select(_ => random.Next(3) == 0 ? 'a' : (char)('0' + random.Next(10)))]);
            var count = random.Next(7);
            Assert.Equal(line.Count(char.IsAsciiDigit) >= count, PhoneFinder.HasDigits(line, count));
        }
    }
}
