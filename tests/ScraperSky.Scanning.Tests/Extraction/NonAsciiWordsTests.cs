using System.Buffers;
using System.Text;
using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

public sealed class NonAsciiWordsTests
{
    private static readonly string[] Words = ["büro", "Büro", "BÜRO", "tél", "numéro", "☎", "📞", "Geschäftsf", "razón social"];

    [Theory]
    [InlineData("", -1)]
    [InlineData("no word here at all", -1)]
    [InlineData("Unser Büro: 030 1234", 6)]
    [InlineData("numéro tél", 0)]
    [InlineData("un tél. ou numéro", 3)]
    [InlineData("📞 030 1234", 0)]
    [InlineData("büR büro", 4)]
    [InlineData("Gesch Geschäftsführer", 6)]
    public void The_first_word_is_found_where_it_starts(string text, int expected) =>
        Assert.Equal(expected, new NonAsciiWords(Words).IndexOfAny(text));

    [Fact]
    public void Every_answer_is_the_one_a_search_of_all_the_words_gives()
    {
        var searchValues = SearchValues.Create(Words, StringComparison.Ordinal);
        var words = new NonAsciiWords(Words);
        string[] pieces = [.. Words, "b", "ü", "é", "tel", "num", "ro", " ", "\n", "x", "\uD83D", "Gesch", "äftsf", "razón", " social"];
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            for (var p = random.Next(12); p > 0; p--)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            var value = text.ToString();
            Assert.Equal(value.AsSpan().IndexOfAny(searchValues), words.IndexOfAny(value));
        }
    }

    [Fact]
    public void A_word_without_a_character_beyond_ascii_is_refused() =>
        Assert.Throws<ArgumentException>(() => new NonAsciiWords(["tel"]));
}
