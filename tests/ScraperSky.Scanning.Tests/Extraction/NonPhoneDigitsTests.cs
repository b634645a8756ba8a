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

    [Theory]
    [InlineData("Bestellnummer 964376702.", "Bestellnummer _________.")]
    [InlineData("Fax: (030) 1234568\nTel", "Fax: (___) _______\nTel")]

    // Refused, yet a short group after it is judged as before (the matcher reads `030 EXT` as a number).
    [InlineData("order 06 12345678 TELÉFONO 030 EXT. 1212", "order __ ________ TELÉFONO 030 EXT. 1212")]

    // The digits a time stamp's check reads after it (`08:12`) stay.
    [InlineData("Stand 2012-01-02 08:12345", "Stand ____-__-__ __:12345")]
    public void Refused_groups_that_stand_alone_are_blanked(string text, string blanked)
    {
        Assert.Equal(blanked, Blanked(text, refuse: true));
    }

    [Theory]
    [InlineData("Fax 030 1234568 ext. 12")]
    [InlineData("Fax 030 1234568, x 12")]
    [InlineData("Tel. 030 1234567 ext. 1234")]
    [InlineData("Tel. 030 1234567, ext. 1234")]
    [InlineData("Tel 030 1234567;ext=1234")]
    public void Refused_groups_an_extension_joins_to_another_number_are_kept(string text)
    {
        Assert.Equal(text, Blanked(text, refuse: true));
    }

    private static string Blanked(string text, bool refuse = false)
    {
        var chars = text.ToCharArray();
        NonPhoneDigits.Blank(chars, refuse ? (_, _, _) => true : null);
        return new string(chars);
    }
}
