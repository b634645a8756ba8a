using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

/// The fast ignore-case search answers as `Contains(value, StringComparison.OrdinalIgnoreCase)` does, for ASCII and
/// for the characters beyond it that case-map to ASCII letters elsewhere (`ı`, `ſ`, the Kelvin sign, `İ`).
public sealed class OrdinalIgnoreCaseTests
{
    [Theory]
    [InlineData("https://cdn.example.com/JQuery.min.js", "jquery", true)]
    [InlineData("https://cdn.example.com/jquery.min.js", "jquery.min.js", true)]
    [InlineData("/wp-content/themes", "/WP-CONTENT/", true)]
    [InlineData("abc", "abcd", false)]
    [InlineData("ab", "b", true)]
    [InlineData("ab", "a", true)]
    [InlineData("", "a", false)]
    [InlineData("abc", "", true)]
    [InlineData("-?ver=1", "?VER=", true)]
    [InlineData("shopıfy", "shopify", false)]
    [InlineData("ſhopify", "shopify", false)]
    [InlineData("\u212Airby", "kirby", false)]
    [InlineData("İnstagram", "instagram", false)]
    [InlineData("caf\u00E9-Shop", "shop", true)]
    public void Answers_as_the_framework_does(string text, string value, bool expected)
    {
        Assert.Equal(expected, text.Contains(value, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(expected, OrdinalIgnoreCase.Contains(text, value));
    }

    [Fact]
    public void Answers_as_the_framework_does_on_random_texts()
    {
        // Few letters, so that values often occur; ASCII texts most of the time, as pages give.
        const string ascii = "aAbBkKsSiI-./?=";
        const string beyond = "ıſİ\u212Aé";
        var random = new Random(12);
        for (var n = 0; n < 20_000; n++)
        {
            var alphabet = random.Next(4) == 0 ? ascii + beyond : ascii;
            var text = Make(random, alphabet, random.Next(0, 80));
            var start = random.Next(Math.Max(1, text.Length));
            var value = random.Next(3) == 0 && text.Length > 0
                ? Flip(random, text.Substring(start, 1 + random.Next(Math.Min(6, text.Length - start))))
                : Make(random, random.Next(8) == 0 ? ascii + beyond : ascii, random.Next(1, 6));
            Assert.True(
                text.Contains(value, StringComparison.OrdinalIgnoreCase) == OrdinalIgnoreCase.Contains(text, value),
                $"'{text}' / '{value}'");
        }
    }

    private static string Make(Random random, string alphabet, int length) =>
        string.Create(length, (random, alphabet), (chars, state) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });

    private static string Flip(Random random, string value) =>
        string.Concat(value.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)));
}
