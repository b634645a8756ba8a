using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

/// The page language and where it was read, through full scans of the fleet: declarations in their order, then
/// detection from the visible text.
public sealed class LanguageTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<SiteMetadata> ScanAsync(string domain)
    {
        using var services = fixture.CreateServices();
        return await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = domain, IncludeSitemaps = false }, null, Ct);
    }

    [Theory]
    [InlineData("undeclared-en.test", "en")]
    [InlineData("undeclared-de.test", "de")]
    [InlineData("undeclared-fr.test", "fr")]
    [InlineData("undeclared-es.test", "es")]
    [InlineData("undeclared-it.test", "it")]
    public async Task A_page_that_declares_no_language_gets_the_language_of_its_text(string domain, string expected)
    {
        var metadata = await ScanAsync(domain);

        Assert.Equal((expected, LanguageSource.Detected), (metadata.Language, metadata.LanguageSource));
    }

    [Theory]
    [InlineData("basic.test", "en-GB", LanguageSource.HtmlLang)]
    [InlineData("og-fallback.test", "de-DE", LanguageSource.ContentLanguage)]
    [InlineData("content-language.test", "nl-BE", LanguageSource.ContentLanguage)]
    [InlineData("og-locale.test", "pt-BR", LanguageSource.OgLocale)]
    [InlineData("jsonld-language.test", "es-MX", LanguageSource.JsonLd)]
    [InlineData("invalid-lang.test", "en-GB", LanguageSource.OgLocale)]
    public async Task A_declared_language_is_reported_with_where_it_was_declared(string domain, string expected, string source)
    {
        var metadata = await ScanAsync(domain);

        Assert.Equal((expected, source), (metadata.Language, metadata.LanguageSource));
    }

    [Fact]
    public async Task A_page_with_neither_a_declaration_nor_enough_text_has_no_language_and_no_source()
    {
        var metadata = await ScanAsync("blank.test");

        Assert.Null(metadata.Language);
        Assert.Null(metadata.LanguageSource);
    }

    [Fact]
    public void A_page_opening_with_a_long_english_menu_gets_the_language_of_its_prose()
    {
        // Shops name their menus in English whatever their language: over a thousand characters of it come first here.
        string[] items = ["Home", "New arrivals", "Best sellers", "Sale", "Gift cards", "Shop all", "Accessories", "Bags",
            "Shoes", "Outlet", "Brands", "Lookbook", "About us", "Our story", "Stores", "Careers", "Press", "Blog",
            "Help center", "Shipping", "Returns", "Track your order", "Size guide", "Contact", "Newsletter", "Sign in"];
        var menu = string.Concat(Enumerable.Repeat(string.Concat(items.Select(item => $"<li><a href='/'>{item} and more</a></li>")), 3));
        var page = FixturePages.ExtractHtml(
            $"<html><body><nav><ul>{menu}</ul></nav><main><p>Wir fertigen unsere Taschen seit über dreißig Jahren in "
            + "unserer eigenen Werkstatt in Leipzig und liefern sie innerhalb von zwei Tagen zu Ihnen nach Hause.</p>"
            + "<p>Jede Tasche wird von Hand genäht, geprüft und verpackt, bevor sie unser Haus verlässt.</p></main></body></html>");

        Assert.Equal(("de", LanguageSource.Detected), (page.Language, page.LanguageSource));
    }

    [Fact]
    public void A_declaration_wins_over_the_language_of_the_text()
    {
        var page = FixturePages.ExtractHtml(
            "<html lang='DE-at'><body><p>This page is written in English from start to finish, whatever it declares, "
            + "and it has more than enough words for the detector to be sure of that.</p></body></html>");

        Assert.Equal(("de-AT", LanguageSource.HtmlLang), (page.Language, page.LanguageSource));
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("EN-us", "en-US")]
    [InlineData("pt_BR", "pt-BR")]
    [InlineData("zh-hant-tw", "zh-Hant-TW")]
    [InlineData(" nl-BE, fr-BE ", "nl-BE")]
    [InlineData("de;q=0.9", "de")]
    [InlineData("es-419", "es-419")]
    [InlineData("{{ lang }}", null)]
    [InlineData("und", null)]
    [InlineData("x", null)]
    [InlineData("english", null)]
    [InlineData("en--US", null)]
    [InlineData("", null)]
    public void A_declared_tag_keeps_its_shape_in_canonical_case_and_junk_is_no_language(string declared, string? expected)
    {
        Assert.Equal(expected, PageLanguage.Normalize(declared));
    }
}
