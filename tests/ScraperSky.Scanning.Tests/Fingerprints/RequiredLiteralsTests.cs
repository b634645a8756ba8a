using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Tests.Fingerprints;

public sealed class RequiredLiteralsTests
{
    [Theory]
    [InlineData(@"/wp-content/(?:themes|plugins)/", "/wp-content/")]
    [InlineData(@"googletagmanager\.com/gtm\.js", "googletagmanager.com/gtm.js")]
    [InlineData(@"jquery[.-]?(\d+\.\d+)?(?:\.min)?\.js", "jquery", ".js")]
    [InlineData(@"^WordPress(?: ([\d.]+))?", "wordpress")]
    [InlineData(@"abcdx?yz", "abcd")]
    [InlineData(@"ab{0,2}cdefg", "cdefg")]
    [InlineData(@"Mage\.Cookies", "mage.cookies")]
    [InlineData("Caf\u00e9Shop", "shop", "caf")]
    [InlineData(@"<link[^>]+bulma(?:\.min)?\.css", "<link", "bulma", ".css")]
    [InlineData(@"class=[""']wpcf7", "class=", "wpcf7")]
    public void Every_literal_every_match_contains_is_found_longest_first(string pattern, params string[] literals)
    {
        Assert.Equal([literals], RequiredLiterals.Find(pattern));
    }

    [Fact]
    public void Top_level_alternatives_each_give_their_literals()
    {
        Assert.Equal([["static.hotjar.com"], ["hotjar-", ".js"]], RequiredLiterals.Find(@"static\.hotjar\.com|hotjar-\d+\.js"));
    }

    [Theory]
    [InlineData(@"\d+\.\d+")]
    [InlineData(@"(?:foo|bar)ba")]
    [InlineData(@"longliteral|x")]
    [InlineData(@"[a-z]+")]
    public void Patterns_without_a_safe_literal_get_none(string pattern)
    {
        Assert.Null(RequiredLiterals.Find(pattern));
    }

    [Theory]
    [InlineData(@"/wp-content/(?:themes|plugins)/", "<link href='/WP-CONTENT/themes/x.css'>")]
    [InlineData(@"jquery[.-]?(\d+\.\d+)?(?:\.min)?\.js", "https://code.jquery.com/jquery-3.6.min.js")]
    [InlineData(@"ab{0,2}cdefg", "acdefg")]
    [InlineData(@"abcdx?yz", "abcdyz")]
    public void Every_input_the_regex_matches_contains_the_literal(string pattern, string input)
    {
        Assert.Matches(new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase), input);
        var literals = RequiredLiterals.Find(pattern);
        Assert.NotNull(literals);
        Assert.Contains(literals, branch => branch.All(l => input.Contains(l, StringComparison.OrdinalIgnoreCase)));
    }
}
