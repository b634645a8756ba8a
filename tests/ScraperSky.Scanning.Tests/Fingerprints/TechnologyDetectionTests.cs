using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Tests.Extraction;

namespace ScraperSky.Scanning.Tests.Fingerprints;

public sealed class TechnologyDetectionTests
{
    [Fact]
    public void WordPress_and_Elementor_are_detected_with_their_versions()
    {
        var site = SiteResult.Build(FixturePages.Extract("wordpress-elementor.test"), []);
        Assert.True(site.IsWordpress);
        Assert.Equal("6.4.2", site.WordpressVersion);
        Assert.True(site.HasElementor);
        Assert.Equal("3.18.3", site.ElementorVersion);
    }

    [Fact]
    public void Plugins_and_libraries_carry_their_own_versions_not_the_core_one()
    {
        var technologies = FixturePages.Extract("wordpress-elementor.test").Technologies.ToDictionary(t => t.Name);
        Assert.Equal("3.7.1", technologies["jQuery"].Version);
        Assert.Equal("3.4.1", technologies["jQuery Migrate"].Version);
        Assert.Equal("3.18.1", technologies["Elementor Pro"].Version);
        Assert.Equal("21.7", technologies["Yoast SEO"].Version);
        Assert.Equal("5.8.4", technologies["Contact Form 7"].Version);
    }

    [Fact]
    public void The_WordPress_version_is_read_from_core_assets_when_the_generator_is_hidden()
    {
        var site = SiteResult.Build(FixturePages.Extract("wordpress-hidden-version.test"), []);
        Assert.True(site.IsWordpress);
        Assert.Equal("6.3.1", site.WordpressVersion);
        Assert.False(site.HasElementor);
        Assert.Contains("WooCommerce", site.TechStack.Cms);
    }

    [Fact]
    public void The_v1_tech_stack_lists_hold_names_as_the_technologies_spell_them()
    {
        var stack = SiteResult.Build(FixturePages.Extract("wordpress-elementor.test"), []).TechStack;
        Assert.Equal(["WordPress"], stack.Cms);
        Assert.Equal(["Elementor", "Elementor Pro", "jQuery", "jQuery Migrate"], stack.Frameworks);
        Assert.Equal(["Google Analytics", "Google Tag Manager"], stack.Analytics);
        Assert.Equal(["Calendly", "Contact Form 7", "HubSpot"], stack.Widgets);
    }

    [Fact]
    public void Each_category_is_filled_from_a_page_using_one_technology_of_each_kind()
    {
        var page = FixturePages.Extract("tech-categories.test");
        var stack = SiteResult.StackOf(page.Technologies);
        Assert.Equal(["Shopify"], stack.Cms);
        Assert.Equal(["Bootstrap", "jQuery", "React", "Vue.js"], stack.Frameworks);
        Assert.Equal(["Hotjar", "Meta Pixel"], stack.Analytics);
        Assert.Equal(["Intercom", "Tawk.to"], stack.Widgets);

        var versions = page.Technologies.Where(t => t.Version is not null).ToDictionary(t => t.Name, t => t.Version);
        Assert.Equal("5.3.2", versions["Bootstrap"]);
        Assert.Equal("3.6.4", versions["jQuery"]);
        Assert.Equal("18.2.0", versions["React"]);
        Assert.Equal("3.3.4", versions["Vue.js"]);
    }

    [Fact]
    public void A_technology_is_listed_once_in_each_stack_list_its_categories_name_in_the_technologies_order()
    {
        DetectedTechnology Technology(string name, params string[] categories) => new(name, categories, null, 100);
        var stack = SiteResult.StackOf(
        [
            Technology("Chat Kit", "Live chat", "Analytics"),
            Technology("Press", "CMS", "Blogs"),
            Technology("Edge", "CDN"),
            Technology("Blog Kit", "blogs", "JavaScript libraries", "UI frameworks"),
        ]);
        Assert.Equal(["Press", "Blog Kit"], stack.Cms);
        Assert.Equal(["Blog Kit"], stack.Frameworks);
        Assert.Equal(["Chat Kit"], stack.Analytics);
        Assert.Equal(["Chat Kit"], stack.Widgets);
    }

    [Fact]
    public void Mentioning_a_technology_in_text_detects_nothing()
    {
        var page = FixturePages.ExtractHtml(
            "<html><body><p>We moved from WordPress to Shopify; wp-content and jquery.min.js are words here.</p></body></html>");
        Assert.Empty(page.Technologies);
    }

    [Fact]
    public void Implied_technologies_are_added_with_the_implying_confidence_capped_by_their_implies_tag()
    {
        var technologies = FixturePages.Extract("wordpress-elementor.test").Technologies.ToDictionary(t => t.Name);
        Assert.Equal(90, technologies["PHP"].Confidence);
        Assert.Contains("Programming languages", technologies["PHP"].Categories);
        Assert.Contains("MySQL", technologies.Keys);
    }

    [Fact]
    public void Headers_and_cookies_identify_servers_and_platforms()
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Server"] = ["nginx/1.25.3"],
            ["X-Powered-By"] = ["PHP/8.2.12"],
            ["Set-Cookie"] = ["laravel_session=abc; path=/; httponly", "XSRF-TOKEN=x; path=/"],
            ["CF-RAY"] = ["8a1b2c3d4e5f-FRA"],
        };
        var page = FixturePages.Extractor.Extract(
            FixturePages.Page(new Uri("https://app.test/"), "<html></html>", headers), cancellationToken: TestContext.Current.CancellationToken);
        var technologies = page.Technologies.ToDictionary(t => t.Name);
        Assert.Equal("1.25.3", technologies["Nginx"].Version);
        Assert.Equal("8.2.12", technologies["PHP"].Version);
        Assert.Contains("Laravel", technologies.Keys);
        Assert.Contains("Cloudflare", technologies.Keys);
    }
}
