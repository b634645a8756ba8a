using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

public sealed class EmailExtractionTests
{
    private static readonly IReadOnlyList<string> Emails = FixturePages.Extract("contact-traps.test").Emails;

    [Fact]
    public void Mailto_links_give_the_address_lower_cased_without_the_subject()
    {
        Assert.Contains("info@sonnenschein-baeckerei.de", Emails);
        Assert.DoesNotContain(Emails, e => e.Contains('?') || e.Contains("subject", StringComparison.Ordinal));
    }

    [Fact]
    public void Addresses_are_de_duplicated_ignoring_case()
    {
        Assert.Single(Emails, e => e == "info@sonnenschein-baeckerei.de");
        Assert.Equal(Emails.Count, Emails.Distinct().Count());
        Assert.All(Emails, e => Assert.Equal(e.ToLowerInvariant(), e));
    }

    [Fact]
    public void Plain_text_addresses_are_found()
    {
        Assert.Contains("bestellung@sonnenschein-baeckerei.de", Emails);
    }

    [Fact]
    public void Bracketed_at_and_dot_obfuscation_is_undone()
    {
        Assert.Contains("presse@sonnenschein-baeckerei.de", Emails);
    }

    [Fact]
    public void Cloudflare_protected_addresses_are_decoded()
    {
        Assert.Contains("geschuetzt@sonnenschein-baeckerei.de", Emails);
    }

    [Fact]
    public void Addresses_in_attribute_values_are_found()
    {
        Assert.Contains("formular@sonnenschein-baeckerei.de", Emails);
        Assert.Contains("redaktion@sonnenschein-baeckerei.de", Emails);
    }

    [Fact]
    public void Asset_names_and_package_versions_are_not_addresses()
    {
        Assert.DoesNotContain(Emails, e => e.Contains("2x", StringComparison.Ordinal) || e.Contains("3x", StringComparison.Ordinal));
        Assert.DoesNotContain(Emails, e => e.Contains("bootstrap", StringComparison.Ordinal));
    }

    [Fact]
    public void Example_placeholder_and_error_tracker_addresses_are_dropped()
    {
        Assert.DoesNotContain(Emails, e => e.EndsWith("example.com", StringComparison.Ordinal));
        Assert.DoesNotContain("your@email.com", Emails);
        Assert.DoesNotContain("ihre@email.com", Emails);
        Assert.DoesNotContain("test@sonnenschein-baeckerei.de", Emails);
        Assert.DoesNotContain("name@domain.com", Emails);
        Assert.DoesNotContain(Emails, e => e.Contains("sentry", StringComparison.Ordinal) || e.Contains("wixpress", StringComparison.Ordinal));
    }

    [Fact]
    public void Exactly_the_real_addresses_of_the_fixture_are_found()
    {
        Assert.Equal(
            [
                "bestellung@sonnenschein-baeckerei.de", "formular@sonnenschein-baeckerei.de", "geschuetzt@sonnenschein-baeckerei.de",
                "info@sonnenschein-baeckerei.de", "presse@sonnenschein-baeckerei.de", "redaktion@sonnenschein-baeckerei.de",
            ],
            Emails.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("5a3")]
    [InlineData("")]
    [InlineData("5agg")]
    public void Malformed_cloudflare_payloads_decode_to_nothing(string hex)
    {
        Assert.Null(EmailFinder.DecodeCloudflare(hex));
    }

    [Theory]
    [InlineData("Contact: sales@northwind.co.uk.", "sales@northwind.co.uk")]
    [InlineData("<hello@shop.com>", "hello@shop.com")]
    [InlineData("mail to jobs+eu@acme-corp.io, thanks", "jobs+eu@acme-corp.io")]
    public void Addresses_are_cut_cleanly_from_surrounding_text(string text, string expected)
    {
        var found = new List<string>();
        EmailFinder.FindIn(text, found);
        Assert.Equal([expected], found);
    }

    [Theory]
    [InlineData("icon@2x.webp")]
    [InlineData("npm i @babel/core@7.23.0")]
    [InlineData("user@localhost")]
    [InlineData("a@b.c")]
    [InlineData("@media (max-width: 600px)")]
    public void Strings_that_only_look_like_addresses_are_rejected(string text)
    {
        var found = new List<string>();
        EmailFinder.FindIn(text, found);
        Assert.Empty(found);
    }
}
