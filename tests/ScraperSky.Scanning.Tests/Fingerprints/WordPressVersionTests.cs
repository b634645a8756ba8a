using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Tests.Extraction;

namespace ScraperSky.Scanning.Tests.Fingerprints;

public sealed class WordPressVersionTests
{
    [Fact]
    public void Without_a_generator_the_versions_come_from_core_and_plugin_assets_not_from_the_theme_or_bundled_libraries()
    {
        var site = SiteResult.Build(FixturePages.Extract("wordpress-versions.test"), []);

        Assert.Equal("6.5.2", site.WordpressVersion);
        Assert.Equal("3.21.4", site.ElementorVersion);
        var technologies = site.Technologies.ToDictionary(t => t.Name);
        Assert.DoesNotContain(technologies["WordPress"].Evidence, e => e.Version == "6.1");
        Assert.DoesNotContain(technologies["Elementor"].Evidence, e => e.Version is "5.29.0" or "5.15.3" or "8.4.5");
    }

    [Fact]
    public void The_emoji_settings_inline_script_and_core_stylesheets_each_give_the_WordPress_version()
    {
        var wordpress = FixturePages.Extract("wordpress-versions.test").Technologies.Single(t => t.Name == "WordPress");
        Assert.Contains(wordpress.Evidence, e => e.Version == "6.5.2" && e.Match.Contains("wp-emoji-release.min.js?ver=6.5.2", StringComparison.Ordinal));
        Assert.Contains(wordpress.Evidence, e => e.Version == "6.5.2" && e.Match.EndsWith("/wp-includes/css/dashicons.min.css?ver=6.5.2", StringComparison.Ordinal));
    }

    [Fact]
    public void Elementor_reads_its_version_from_its_frontend_config_when_its_assets_carry_none()
    {
        var page = FixturePages.ExtractHtml("""
            <html><body class="elementor-default"><script>
            var elementorFrontendConfig = {"environmentMode":{"edit":false},"is_rtl":false,"version":"3.20.1","is_static":false};
            </script></body></html>
            """);
        var elementor = page.Technologies.Single(t => t.Name == "Elementor");
        Assert.Equal("3.20.1", elementor.Version);
        Assert.Equal("inline_script", elementor.VersionSource);
    }

    [Fact]
    public void A_WordPress_feed_gives_the_version_its_generator_names()
    {
        var feed = FixturePages.Extract("wordpress-versions.test", "feed/index.xml");
        var wordpress = feed.Technologies.Single(t => t.Name == "WordPress");
        Assert.Equal("6.5.2", wordpress.Version);

        var atom = FixturePages.ExtractHtml("""<feed><generator uri="https://wordpress.org/" version="6.4.3">WordPress</generator></feed>""");
        Assert.Equal("6.4.3", atom.Technologies.Single(t => t.Name == "WordPress").Version);
    }
}
