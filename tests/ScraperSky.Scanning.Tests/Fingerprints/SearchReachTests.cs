using System.Text.RegularExpressions;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Tests.Fingerprints;

/// A page-source pattern is searched only up to where its matches can end (the last occurrence of one of its literals
/// plus what the pattern can match after it): what it finds, its version and its evidence stay those of a search of
/// the whole page.
public sealed class SearchReachTests
{
    private static readonly string Prose = string.Concat(Enumerable.Repeat("<p>Our swiper team builds sliders, see cdn.example.net/ for docs.</p>\n", 400));

    private static IReadOnlyList<DetectedTechnology> Detect(string technologiesJson, string html) =>
        new FingerprintMatcher(FingerprintCatalog.FromJson(technologiesJson)).Detect(new PageSignals
        {
            Url = "https://site.test/",
            Html = html.ToCharArray().AsMemory(),
            Headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase),
        });

    [Theory]
    [InlineData(@"swiper(?:-bundle)?(?:\.min)?\.css", "swiper", 15)]
    [InlineData(@"<link[^>]+cdn\.jsdelivr\.net/", "cdn.jsdelivr.net/", 0)]
    [InlineData(@"abc\d{2,4}x?-(?:de|fgh)", "abc", 9)]
    [InlineData(@"ab{0,2}cdefg", "cdefg", 0)]
    public void A_literal_followed_by_bounded_syntax_has_that_reach(string pattern, string literal, int reach)
    {
        var branches = RequiredLiterals.Reach(pattern);

        Assert.NotNull(branches);
        Assert.Equal(reach, Assert.Single(branches)[literal]);
    }

    [Theory]
    [InlineData(@"<link[^>]+cdn\.jsdelivr\.net/", "<link")]
    [InlineData(@"jquery[.-]?(\d+\.\d+)?(?:\.min)?\.js", "jquery")]
    [InlineData(@"wp-emoji(?:[a-z]{2,})", "wp-emoji")]
    [InlineData(@"wp-emoji(?<v>\d)", "wp-emoji")]
    public void A_literal_followed_by_unbounded_or_unread_syntax_has_none(string pattern, string literal)
    {
        Assert.DoesNotContain(literal, Assert.Single(RequiredLiterals.Reach(pattern)!).Keys);
    }

    [Theory]
    [InlineData(@"widget\.js\b")]
    [InlineData(@"widget\.js(?!x)")]
    [InlineData(@"widget\.js$")]
    [InlineData(@"widget\.js(?=\s)")]
    public void A_pattern_that_reads_past_its_match_has_no_reach(string pattern)
    {
        Assert.Null(RequiredLiterals.Reach(pattern));
    }

    [Theory]
    [InlineData(@"swiper(?:-bundle)?(?:\.min)?\.css", "x SWIPER-bundle.MIN.css?ver=2 swiper.css")]
    [InlineData(@"abc\d{2,4}x?-(?:de|fgh)", "abc12-fg abc1234x-fgh abc99-de")]
    [InlineData(@"ab{0,2}cdefg", "abbcdefg acdefg")]
    public void No_match_ends_past_the_last_occurrence_of_the_literal_plus_its_reach(string pattern, string input)
    {
        var regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var (literal, reach) = Assert.Single(RequiredLiterals.Reach(pattern)!).MaxBy(p => p.Key.Length);
        var lastEnd = input.LastIndexOf(literal, StringComparison.OrdinalIgnoreCase) + literal.Length;

        var matches = regex.Matches(input);
        Assert.NotEmpty(matches);
        Assert.All(matches, m => Assert.True(m.Index + m.Length <= lastEnd + reach, $"{m.Value} ends past {lastEnd} + {reach}"));
    }

    [Fact]
    public void A_version_seen_only_at_the_last_occurrence_of_the_literal_is_read_with_all_its_evidence()
    {
        // "swiper" occurs hundreds of times in prose and `.css?ver=` at the top; the match is at the last of each, in
        // another case, at the very end, and its evidence widens past the match to the end of the URL.
        const string rules = """{ "Swiper": { "cats": [59], "html": "swiper(?:-bundle)?(?:\\.min)?\\.css\\?ver=(\\d\\.\\d)\\;version:\\1" } }""";
        var html = "<link rel=\"stylesheet\" href=\"/site.css?ver=1\">\n" + Prose
            + "<link rel=\"stylesheet\" href=\"/SWIPER-BUNDLE.MIN.CSS?ver=9.4-r20261203\">";

        var swiper = Assert.Single(Detect(rules, html));

        Assert.Equal("9.4", swiper.Version);
        Assert.Equal("/SWIPER-BUNDLE.MIN.CSS?ver=9.4-r20261203", Assert.Single(swiper.Evidence).Match);
    }

    [Fact]
    public void A_pattern_with_unbounded_syntax_before_its_literal_finds_a_match_ending_at_its_last_occurrence()
    {
        const string rules = """{ "Lib": { "cats": [59], "html": "<link[^>]+cdn\\.example\\.net/" } }""";
        var html = Prose + "<link rel=\"stylesheet\" href=\"https://CDN.example.net/lib.css\">";

        var lib = Assert.Single(Detect(rules, html));

        Assert.Equal("<link rel=\"stylesheet\" href=\"https://CDN.example.net/lib.css", Assert.Single(lib.Evidence).Match);
    }

    [Theory]
    [InlineData(@"widget\.js\b", "<script src=\"/widget.jsx\"></script>")]
    [InlineData(@"widget\.js(?!x)", "<script src=\"/widget.jsx\"></script>")]
    [InlineData(@"src=""(?![^""]*jsx)/widget\.js", "<script src=\"/widget.jsx\"></script>")]
    public void A_pattern_reading_past_its_match_is_searched_to_the_end_of_the_page(string pattern, string tail)
    {
        // Cut right after `widget.js`, the page would end there: the word boundary and the look-aheads would hold.
        var rules = $$"""{ "Widget": { "cats": [59], "html": {{System.Text.Json.JsonSerializer.Serialize(pattern)}} } }""";

        Assert.Empty(Detect(rules, Prose + tail));
        Assert.Single(Detect(rules, Prose + tail.Replace("jsx", "js", StringComparison.Ordinal)));
    }

    [Fact]
    public void Each_alternative_is_searched_as_far_as_its_own_literal_reaches()
    {
        // The first alternative's literal is at the top (without a version, so it does not match); the second's match
        // is at the end of the page.
        const string rules = """{ "Lib": { "cats": [59], "html": "lib-one\\.js\\?v=(\\d)|lib-two\\.css\\?v=(\\d)\\;version:\\1?\\1:\\2" } }""";
        var html = "<p>lib-one.js?v=x</p>" + Prose + "<link href=\"/lib-two.css?v=7\">";

        Assert.Equal("7", Assert.Single(Detect(rules, html)).Version);
    }
}
