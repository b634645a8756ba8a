using System.Text;
using ScraperSky.Scanning.Robots;

namespace ScraperSky.Scanning.Tests.Robots;

/// The caps on robots.txt rules and the linear matcher's answers (the cost itself: ReviewFindingTests, finding 7).
public sealed class RobotsCostTests
{
    [Fact]
    public void Rules_beyond_the_caps_are_ignored()
    {
        var robots = new StringBuilder("User-agent: *\n");
        for (var i = 0; i < RobotsTxt.MaxRules + 500; i++)
        {
            robots.Append("Disallow: /literal-").Append(i).Append('\n');
        }

        Assert.Equal(RobotsTxt.MaxRules, RobotsTxt.Parse(robots.ToString()).ForAgent("ScraperSky").Count);

        var wildcards = new StringBuilder("User-agent: *\n");
        for (var i = 0; i < RobotsTxt.MaxWildcardRules + 500; i++)
        {
            wildcards.Append("Disallow: /*wild-").Append(i).Append('\n');
        }

        Assert.Equal(RobotsTxt.MaxWildcardRules, RobotsTxt.Parse(wildcards.ToString()).ForAgent("ScraperSky").Count);

        var overlong = "User-agent: *\nDisallow: /" + new string('x', RobotsTxt.MaxPatternLength) + "\nDisallow: /short\n";
        Assert.Equal(1, RobotsTxt.Parse(overlong).ForAgent("ScraperSky").Count);
    }

    [Theory]
    [InlineData("/*a*b", "/xxaxxb", false)]
    [InlineData("/*a*b", "/xxbxxa", true)]
    [InlineData("/ab*b$", "/ab", true)]
    [InlineData("/ab*b$", "/abb", false)]
    [InlineData("/a**b", "/a-b", false)]
    [InlineData("/a**b", "/a-c", true)]
    [InlineData("/*.php$", "/index.php", false)]
    [InlineData("/*.php$", "/index.php?x", true)]
    [InlineData("/*aab", "/aaab", false)]
    [InlineData("/*abab*abac$", "/ababababac", false)]
    [InlineData("/*abab*abac$", "/ababac", true)]
    [InlineData("/a$b", "/a$b/c", false)]
    [InlineData("*", "/anything", false)]
    [InlineData("$", "/", true)]
    public void Wildcards_and_anchors_match_as_before(string pattern, string path, bool allowed)
    {
        Assert.Equal(allowed, RobotsTxt.Parse($"User-agent: *\nDisallow: {pattern}\n").IsAllowed("ScraperSky", path));
    }
}
