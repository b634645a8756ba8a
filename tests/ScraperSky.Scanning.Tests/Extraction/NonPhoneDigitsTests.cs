using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

public sealed class NonPhoneDigitsTests
{
    [Theory]
    [InlineData("Preis ab 594,00 €.", "Preis ab ___,__ €.")]
    [InlineData("Stand: 14.7.2024.", "Stand: __._.____.")]
    [InlineData("Mo–Fr 9:00–18:00 Uhr", "Mo–Fr _:__–__:__ Uhr")]
    [InlineData("Total 1.234,50 €", "Total _.___,__ €")]
    [InlineData("seit 12 Jahren", "seit __ Jahren")]

    // The four digits after the comma are judged by the digit before it, which is blanked itself.
    [InlineData("Seite 12,3456 Ende", "Seite __,____ Ende")]
    public void Digit_groups_no_phone_can_be_made_of_are_blanked_in_place(string text, string blanked)
    {
        Assert.Equal(blanked, Blanked(text));
    }

    [Theory]
    [InlineData("Telefon: 030 1234567.")]
    [InlineData("Tel. +49 (0)30 123 45-67")]
    [InlineData("Phone (612) 555-0143 ext. 12")]
    [InlineData("Phone 612 555 0143 x 7")]
    [InlineData("Call 4002 on Niue")]
    [InlineData("Tel ０３０ 12")]
    public void Groups_that_may_be_phones_or_their_extensions_are_kept(string text)
    {
        Assert.Equal(text, Blanked(text));
    }

    private static string Blanked(string text)
    {
        var chars = text.ToCharArray();
        NonPhoneDigits.Blank(chars);
        return new string(chars);
    }
}
