using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Tests.Domains;

/// SQLite's list columns written by raw statements hold the very text EF Core's converter for them writes (bound from
/// its UTF-8 bytes), and that text reads back through the converter as the list written (NULs taken out, as for every stored text).
public sealed class ListParameterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string[]> Lists => new()
    {
        Array.Empty<string>(),
        new[] { "info@shop.test" },
        new[] { "WordPress", "jQuery", "Google Analytics", "WordPress" },
        new[] { "Müller GmbH", "Ελληνικά", "日本語", "emoji 🚀 here", "" },
        new[] { "quote \" and backslash \\", "<script>&amp;'+`", "tab\tnew\nline\r", "nul\0inside", "\u001f\u007f\u2028\u2029" },
        new[] { new string('x', 5_000), "a/b?c=d#e" },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task The_SQLite_text_is_the_column_converters_text(string[] values)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();
        var converter = db.Model.FindEntityType(typeof(Domain))!.FindProperty(nameof(Domain.Emails))!.GetTypeMapping().Converter!;
        var cleaned = values.Select(v => v.Replace("\0", "", StringComparison.Ordinal)).ToList();

        var written = System.Text.Encoding.UTF8.GetString(Assert.IsType<Utf8Text>(ListParameter.For(db)(values)).Bytes);

        Assert.Equal(converter.ConvertToProvider(cleaned), written);
        Assert.Equal(cleaned, (IEnumerable<string>)converter.ConvertFromProvider(written)!);
    }

    [Fact]
    public async Task PostgreSQL_takes_the_cleaned_list_itself()
    {
        var db = new ScraperSkyDbContext(new DbContextOptionsBuilder<ScraperSkyDbContext>()
            .UseNpgsql("Host=localhost;Database=none").Options);

        var written = ListParameter.For(db)(["a\0b", "c"]);

        Assert.Equal(["ab", "c"], Assert.IsType<List<string>>(written));
    }
}
