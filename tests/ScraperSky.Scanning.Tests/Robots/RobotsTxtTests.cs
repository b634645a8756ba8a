using System.Text;
using ScraperSky.Scanning.Robots;

namespace ScraperSky.Scanning.Tests.Robots;

/// Cases written from RFC 9309's text and its examples (section 5).
public sealed class RobotsTxtTests
{
    // RFC 9309 5.1, "Simple Example".
    private const string RfcExample = """
        User-Agent: *
        Disallow: *.gif$
        Disallow: /example/
        Allow: /publications/

        User-Agent: foobot
        Disallow:/
        Allow:/example/page.html
        Allow:/example/allowed.gif

        User-Agent: barbot
        User-Agent: bazbot
        Disallow: /example/page.html

        User-Agent: quxbot

        EOF
        """;

    [Theory]
    [InlineData("foobot", "/", false)]
    [InlineData("foobot", "/example/page.html", true)]
    [InlineData("foobot", "/example/allowed.gif", true)]
    [InlineData("foobot", "/example/other.html", false)]
    [InlineData("barbot", "/example/page.html", false)]
    [InlineData("barbot", "/example/other.html", true)]
    [InlineData("bazbot", "/example/page.html", false)]
    [InlineData("bazbot", "/", true)]
    [InlineData("quxbot", "/example/page.html", true)]
    [InlineData("quxbot", "/picture.gif", true)]
    [InlineData("otherbot", "/picture.gif", false)]
    [InlineData("otherbot", "/picture.gif?x=1", true)]
    [InlineData("otherbot", "/example/page.html", false)]
    [InlineData("otherbot", "/publications/paper.html", true)]
    [InlineData("otherbot", "/", true)]
    [InlineData("FOOBOT", "/", false)]
    [InlineData("FooBot", "/example/page.html", true)]
    public void The_rfc_example_applies_each_group_to_its_agents(string agent, string path, bool allowed)
    {
        Assert.Equal(allowed, RobotsTxt.Parse(RfcExample).IsAllowed(agent, path));
    }

    [Theory]
    // RFC 9309 5.2, "Longest Match".
    [InlineData("Allow: /example/page/\nDisallow: /example/page/disallowed.gif", "/example/page/disallowed.gif", false)]
    [InlineData("Allow: /example/page/\nDisallow: /example/page/disallowed.gif", "/example/page/other.gif", true)]
    // The longest match wins whatever the order of the lines.
    [InlineData("Disallow: /example/page/disallowed.gif\nAllow: /example/page/", "/example/page/disallowed.gif", false)]
    [InlineData("Disallow: /\nAllow: /public", "/public/a", true)]
    [InlineData("Allow: /\nDisallow: /private", "/private/a", false)]
    // Equivalent rules: allow wins.
    [InlineData("Allow: /page\nDisallow: /page", "/page", true)]
    [InlineData("Disallow: /page\nAllow: /page", "/page", true)]
    [InlineData("Disallow: /*.php\nAllow: /x.php", "/x.php", true)]
    // Paths are case-sensitive.
    [InlineData("Disallow: /Private", "/private", true)]
    [InlineData("Disallow: /Private", "/Private/x", false)]
    // An empty disallow matches nothing.
    [InlineData("Disallow:", "/anything", true)]
    [InlineData("Disallow: /\nAllow:", "/anything", false)]
    // `*` matches any run, `$` anchors the end, otherwise a rule is a prefix.
    [InlineData("Disallow: /*/private", "/a/b/private/c", false)]
    [InlineData("Disallow: /*/private", "/private", true)]
    [InlineData("Disallow: /fish*", "/fish.html", false)]
    [InlineData("Disallow: /fish*", "/Fish.asp", true)]
    [InlineData("Disallow: /fish", "/fishheads/yummy.html", false)]
    [InlineData("Disallow: /*.php$", "/filename.php", false)]
    [InlineData("Disallow: /*.php$", "/filename.php?parameters", true)]
    [InlineData("Disallow: /*.php$", "/filename.php/", true)]
    [InlineData("Disallow: /*.php", "/folder/any.php.file.html", false)]
    [InlineData("Disallow: /$", "/", false)]
    [InlineData("Disallow: /$", "/page", true)]
    [InlineData("Disallow: /*?", "/search?q=1", false)]
    [InlineData("Disallow: /a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p$", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaq", true)]
    // `$` in the middle is an ordinary character.
    [InlineData("Disallow: /a$b", "/a$b/c", false)]
    public void Rules_match_by_longest_pattern_with_wildcards(string rules, string path, bool allowed)
    {
        var robots = RobotsTxt.Parse("User-agent: *\n" + rules);
        Assert.Equal(allowed, robots.IsAllowed("ScraperSky", path));
    }

    [Theory]
    // RFC 9309 2.2.2: percent-encoding is normalised before comparing.
    [InlineData("/foo/bar?baz=quz", "/foo/bar?baz=quz")]
    [InlineData("/foo/bar/ツ", "/foo/bar/%E3%83%84")]
    [InlineData("/foo/bar/%E3%83%84", "/foo/bar/%E3%83%84")]
    [InlineData("/foo/bar/%62%61%7A", "/foo/bar/baz")]
    [InlineData("/foo/bar/baz", "/foo/bar/%62%61%7A")]
    [InlineData("/foo/bar/%e3%83%84", "/foo/bar/%E3%83%84")]
    [InlineData("/a b", "/a%20b")]
    public void Percent_encoding_is_normalised_on_both_sides(string rulePath, string urlPath)
    {
        var robots = RobotsTxt.Parse($"User-agent: *\nDisallow: {rulePath}\n");
        Assert.False(robots.IsAllowed("ScraperSky", urlPath));
    }

    [Fact]
    public void An_encoded_reserved_character_is_not_the_character_itself()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nDisallow: /a%2Fb\n");
        Assert.False(robots.IsAllowed("ScraperSky", "/a%2fb"));
        Assert.True(robots.IsAllowed("ScraperSky", "/a/b"));
    }

    [Fact]
    public void All_groups_naming_the_agent_are_merged()
    {
        var robots = RobotsTxt.Parse("""
            User-agent: ScraperSky
            Disallow: /one

            User-agent: other
            Disallow: /two

            User-agent: scrapersky
            Disallow: /three
            """);

        Assert.False(robots.IsAllowed("ScraperSky", "/one"));
        Assert.True(robots.IsAllowed("ScraperSky", "/two"));
        Assert.False(robots.IsAllowed("ScraperSky", "/three"));
    }

    [Fact]
    public void The_star_groups_apply_only_when_no_group_names_the_agent()
    {
        const string content = """
            User-agent: *
            Disallow: /for-everyone

            User-agent: ScraperSky
            Disallow: /for-us

            User-agent: *
            Disallow: /also-for-everyone
            """;
        var robots = RobotsTxt.Parse(content);

        Assert.True(robots.IsAllowed("ScraperSky", "/for-everyone"));
        Assert.False(robots.IsAllowed("ScraperSky", "/for-us"));
        Assert.False(robots.IsAllowed("OtherBot", "/for-everyone"));
        Assert.False(robots.IsAllowed("OtherBot", "/also-for-everyone"));
        Assert.True(robots.IsAllowed("OtherBot", "/for-us"));
    }

    [Theory]
    [InlineData("ScraperSkyBot", true)]
    [InlineData("Scraper", true)]
    [InlineData("ScraperSky/1.0", false)]
    [InlineData("scrapersky", false)]
    [InlineData("  ScraperSky  ", false)]
    public void Agent_lines_match_the_whole_product_token_case_insensitively(string agentLine, bool allowed)
    {
        var robots = RobotsTxt.Parse($"User-agent: {agentLine}\nDisallow: /\n");
        Assert.Equal(allowed, robots.IsAllowed("ScraperSky", "/page"));
    }

    [Fact]
    public void Without_a_matching_or_star_group_everything_is_allowed()
    {
        var robots = RobotsTxt.Parse("User-agent: OtherBot\nDisallow: /\n");
        Assert.True(robots.IsAllowed("ScraperSky", "/anything"));
    }

    [Fact]
    public void Robots_txt_itself_is_always_allowed()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nDisallow: /\n");
        Assert.True(robots.IsAllowed("ScraperSky", "/robots.txt"));
        Assert.False(robots.IsAllowed("ScraperSky", "/robots.txt.bak"));
        Assert.True(RobotsTxt.DisallowAll.IsAllowed("ScraperSky", "/robots.txt"));
    }

    [Fact]
    public void Rules_before_any_user_agent_line_are_ignored()
    {
        var robots = RobotsTxt.Parse("Disallow: /\nUser-agent: *\nDisallow: /private\n");
        Assert.True(robots.IsAllowed("ScraperSky", "/public"));
        Assert.False(robots.IsAllowed("ScraperSky", "/private"));
    }

    [Theory]
    [InlineData("\uFEFFUser-agent: *\r\nDisallow: /private\r\n")]
    [InlineData("User-agent: *\rDisallow: /private\r")]
    [InlineData("  user-AGENT  :   *   # everyone\n\t Disallow :\t/private   # keep out\n")]
    [InlineData("# header comment\n\n\nUser-agent: *\n\n# a comment between lines\nDisallow: /private\n")]
    [InlineData("User-agent: *\nUnknown-directive: whatever\nNo colon line\nDisallow: /private")]
    [InlineData("User-agent: *\nDissallow: /private\n")]
    public void Bom_line_endings_comments_and_whitespace_are_tolerated(string content)
    {
        var robots = RobotsTxt.Parse(content);
        Assert.False(robots.IsAllowed("ScraperSky", "/private/page"));
        Assert.True(robots.IsAllowed("ScraperSky", "/public/page"));
    }

    [Fact]
    public void Sitemaps_are_global_and_relative_ones_are_resolved()
    {
        var robots = RobotsTxt.Parse("""
            Sitemap: https://www.example.com/sitemap.xml
            User-agent: OtherBot
            Disallow: /
            Sitemap: /sitemaps/news.xml
            Sitemap: https://www.example.com/sitemap.xml
            Sitemap: ftp://example.com/sitemap.xml
            """, new Uri("https://www.example.com/robots.txt"));

        Assert.Equal(["https://www.example.com/sitemap.xml", "https://www.example.com/sitemaps/news.xml"], robots.Sitemaps);
    }

    [Fact]
    public void The_rules_of_a_product_token_are_gathered_once_and_another_token_gets_its_own()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nDisallow: /private\n\nUser-agent: ScraperSky\nDisallow: /x\n");

        var ours = robots.ForAgent("ScraperSky");
        Assert.Same(ours, robots.ForAgent("ScraperSky"));
        Assert.False(robots.IsAllowed("ScraperSky", "/x"));
        Assert.True(robots.IsAllowed("OtherBot", "/x"));
        Assert.False(robots.IsAllowed("OtherBot", "/private"));
        Assert.False(robots.IsAllowed("ScraperSky", "/x"));
        Assert.True(robots.IsAllowed("ScraperSky", "/private"));
    }

    [Fact]
    public void Crawl_delay_is_kept_for_the_matching_group()
    {
        var robots = RobotsTxt.Parse("User-agent: *\nCrawl-delay: 1.5\n\nUser-agent: ScraperSky\nCrawl-delay: 10\nDisallow: /x\n");

        Assert.Equal(TimeSpan.FromSeconds(10), robots.ForAgent("ScraperSky").CrawlDelay);
        Assert.Equal(TimeSpan.FromSeconds(1.5), robots.ForAgent("OtherBot").CrawlDelay);
        Assert.Null(RobotsTxt.Parse("User-agent: *\nCrawl-delay: soon\n").ForAgent("ScraperSky").CrawlDelay);
    }

    [Fact]
    public void At_least_500_KiB_are_parsed_and_the_rest_is_ignored()
    {
        var content = new StringBuilder("User-agent: *\n");
        while (content.Length < 499 * 1024)
        {
            content.Append("# filler line to make the file large enough for the test\n");
        }

        content.Append("Disallow: /late-but-within-the-limit\n");
        while (content.Length < 600 * 1024)
        {
            content.Append("# filler line to make the file large enough for the test\n");
        }

        content.Append("Disallow: /beyond-the-limit\n");
        var robots = RobotsTxt.Parse(content.ToString());

        Assert.False(robots.IsAllowed("ScraperSky", "/late-but-within-the-limit"));
        Assert.True(robots.IsAllowed("ScraperSky", "/beyond-the-limit"));
    }

    [Fact]
    public void Allow_all_and_disallow_all_mean_what_they_say()
    {
        Assert.True(RobotsTxt.AllowAll.IsAllowed("ScraperSky", "/x"));
        Assert.False(RobotsTxt.DisallowAll.IsAllowed("ScraperSky", "/x"));
        Assert.False(RobotsTxt.DisallowAll.IsAllowed("ScraperSky", "/"));
    }
}
