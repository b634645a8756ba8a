using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fingerprints;
using ScraperSky.Scanning.Tests.Extraction;

namespace ScraperSky.Scanning.Tests.Fingerprints;

public sealed class TechnologyEvidenceTests
{
    private static Dictionary<string, DetectedTechnology> Detected(PageExtraction page) => page.Technologies.ToDictionary(t => t.Name);

    [Fact]
    public void Each_technology_carries_the_signals_that_matched_with_the_page_they_were_seen_on()
    {
        var technologies = Detected(FixturePages.Extract("wordpress-elementor.test"));

        var wordpress = technologies["WordPress"];
        Assert.Contains(wordpress.Evidence, e => e is { Kind: EvidenceKinds.Meta, Name: "generator", Match: "WordPress 6.4.2", Version: "6.4.2" });
        Assert.Contains(wordpress.Evidence, e => e is { Kind: EvidenceKinds.ScriptUrl, Name: null }
            && e.Match == "https://wordpress-elementor.test/wp-includes/js/comment-reply.min.js?ver=6.4.2");
        Assert.Contains(wordpress.Evidence, e => e.Kind == EvidenceKinds.Html
            && e.Match == "https://wordpress-elementor.test/wp-includes/css/dist/block-library/style.min.css?ver=6.4.2");
        Assert.All(wordpress.Evidence, e => Assert.Equal("https://wordpress-elementor.test/", e.PageUrl));
        Assert.Equal("meta:generator", wordpress.VersionSource);
        Assert.Equal(ConfidenceSources.Seen, wordpress.ConfidenceSource);

        Assert.Contains(technologies["Yoast SEO"].Evidence, e => e.Kind == EvidenceKinds.Html
            && e.Match.StartsWith("<!-- This site is optimized with the Yoast SEO plugin v21.7", StringComparison.Ordinal));
        Assert.Equal("html", technologies["Yoast SEO"].VersionSource);
    }

    [Fact]
    public void Header_and_cookie_evidence_names_the_header_and_the_cookie_but_never_shows_a_cookie_value()
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Server"] = ["nginx/1.25.3"],
            ["Set-Cookie"] = ["PHPSESSID=secret-session-id-4711; path=/; HttpOnly"],
        };
        var page = FixturePages.Extractor.Extract(FixturePages.Page(new Uri("https://app.test/"), "<html></html>", headers), null, cancellationToken: TestContext.Current.CancellationToken);
        var technologies = Detected(page);

        var nginx = Assert.Single(technologies["Nginx"].Evidence);
        Assert.Equal(new TechnologyEvidence(EvidenceKinds.Header, "server", "nginx/1.25.3", "https://app.test/") { Version = "1.25.3" }, nginx);
        Assert.Equal("header:server", technologies["Nginx"].VersionSource);

        var php = Assert.Single(technologies["PHP"].Evidence);
        Assert.Equal(new TechnologyEvidence(EvidenceKinds.Cookie, "PHPSESSID", "PHPSESSID", "https://app.test/"), php);
        Assert.DoesNotContain(page.Technologies.SelectMany(t => t.Evidence), e => e.Match.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void An_excerpt_from_a_long_line_of_page_source_is_capped_to_about_a_hundred_characters()
    {
        var longUrl = "https://cdn.test/" + new string('a', 300) + "/wp-content/plugins/x/" + new string('b', 300) + ".js";
        var page = FixturePages.ExtractHtml($"<html><head><link rel=stylesheet href=\"{longUrl}\"></head></html>");

        var evidence = Assert.Single(Detected(page)["WordPress"].Evidence, e => e.Kind == EvidenceKinds.Html);
        Assert.InRange(evidence.Match.Length, 20, EvidenceExcerpt.MaxChars);
        Assert.Contains("/wp-content/plugins/", evidence.Match, StringComparison.Ordinal);
    }

    [Fact]
    public void Implied_technologies_say_what_implied_them_and_have_less_than_full_confidence()
    {
        var technologies = Detected(FixturePages.Extract("wordpress-elementor.test"));

        var php = technologies["PHP"];
        Assert.Equal(["WordPress"], php.ImpliedBy);
        Assert.Equal(ConfidenceSources.Implied, php.ConfidenceSource);
        Assert.Equal(90, php.Confidence);
        Assert.Equal(new TechnologyEvidence(EvidenceKinds.Implied, null, "WordPress", "https://wordpress-elementor.test/"), Assert.Single(php.Evidence));

        var mysql = technologies["MySQL"];
        Assert.Equal(["WordPress"], mysql.ImpliedBy);
        Assert.Equal(ConfidenceSources.Implied, mysql.ConfidenceSource);
        Assert.Equal(50, mysql.Confidence);
        Assert.Null(mysql.VersionSource);

        // WordPress is seen on the page as well as implied by its plugins: its confidence stays that of what was seen.
        var wordpress = technologies["WordPress"];
        Assert.Equal(ConfidenceSources.Seen, wordpress.ConfidenceSource);
        Assert.Equal(100, wordpress.Confidence);
        Assert.Contains("Elementor", wordpress.ImpliedBy);
        Assert.Contains("Yoast SEO", wordpress.ImpliedBy);
    }

    [Fact]
    public void A_technology_implied_only_by_a_header_is_reported_as_implied_with_the_tags_confidence()
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["X-Powered-By"] = ["Express"] };
        var node = Detected(FixturePages.Extractor.Extract(FixturePages.Page(new Uri("https://api.test/"), "<html></html>", headers), null, cancellationToken: TestContext.Current.CancellationToken))["Node.js"];
        Assert.Equal((90, ConfidenceSources.Implied), (node.Confidence, node.ConfidenceSource));
        Assert.Equal(["Express"], node.ImpliedBy);
    }

    [Fact]
    public void The_site_result_merges_evidence_across_the_homepage_and_its_contact_pages()
    {
        var homepage = FixturePages.Extract("wordpress-elementor.test");
        var contact = FixturePages.ExtractHtml(
            "<html><head><meta name=generator content=\"WordPress 6.4.2\"></head><body>"
            + "<script src=\"https://embed.tawk.to/abc/default\"></script>"
            + "<script src=\"https://wordpress-elementor.test/wp-includes/js/wp-embed.min.js?ver=6.4.2\"></script></body></html>",
            "https://wordpress-elementor.test/contact/");

        var site = SiteResult.Build(homepage, [contact]).Technologies.ToDictionary(t => t.Name);

        var wordpress = site["WordPress"];
        Assert.Equal("6.4.2", wordpress.Version);
        Assert.Equal("meta:generator", wordpress.VersionSource);
        // The generator seen on both pages is kept once, with the homepage; the contact page adds its own asset.
        Assert.Equal("https://wordpress-elementor.test/", Assert.Single(wordpress.Evidence, e => e.Kind == EvidenceKinds.Meta).PageUrl);
        Assert.Contains(wordpress.Evidence, e => e.PageUrl == "https://wordpress-elementor.test/contact/"
            && e.Match.EndsWith("/wp-embed.min.js?ver=6.4.2", StringComparison.Ordinal));

        var tawk = site["Tawk.to"];
        Assert.Equal("https://wordpress-elementor.test/contact/", Assert.Single(tawk.Evidence).PageUrl);
        Assert.Equal(ConfidenceSources.Implied, site["PHP"].ConfidenceSource);
    }

    [Fact]
    public void A_technology_on_several_pages_takes_the_first_version_and_the_highest_confidence_seen_winning_a_tie()
    {
        static DetectedTechnology Technology(string name, int confidence, string source, string? version = null) =>
            new(name, ["CMS"], version, confidence) { ConfidenceSource = source, VersionSource = version is null ? null : "meta:generator" };
        var homepage = FixturePages.ExtractHtml("<html><body></body></html>", "https://merge.test/") with
        {
            Technologies = [Technology("Press", 50, ConfidenceSources.Implied), Technology("Chat", 80, ConfidenceSources.Seen)],
        };
        var contact = FixturePages.ExtractHtml("<html><body></body></html>", "https://merge.test/contact/") with
        {
            Technologies = [Technology("press", 50, ConfidenceSources.Seen, "2.0"), Technology("Chat", 90, ConfidenceSources.Implied, "1.1")],
        };
        var imprint = FixturePages.ExtractHtml("<html><body></body></html>", "https://merge.test/imprint/") with
        {
            Technologies = [Technology("Press", 50, ConfidenceSources.Implied, "3.0"), Technology("Chat", 90, ConfidenceSources.Seen, "1.2")],
        };

        var site = SiteResult.Build(homepage, [contact, imprint]).Technologies;

        Assert.Equal(["Chat", "Press"], site.Select(t => t.Name));
        Assert.Equal((90, ConfidenceSources.Seen, "1.1"), (site[0].Confidence, site[0].ConfidenceSource, site[0].Version));
        Assert.Equal((50, ConfidenceSources.Seen, "2.0", "meta:generator"), (site[1].Confidence, site[1].ConfidenceSource, site[1].Version, site[1].VersionSource));
    }

    [Fact]
    public void Evidence_appears_in_the_scan_json_as_added_snake_case_fields()
    {
        var site = SiteResult.Build(FixturePages.Extract("wordpress-elementor.test"), []);
        var json = System.Text.Json.JsonSerializer.Serialize(site, ScanJson.Options);

        Assert.Contains("\"tech_stack\":{\"cms\":[\"WordPress\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"PHP\",\"categories\":[\"Programming languages\"],\"version\":null,\"confidence\":90,"
            + "\"version_source\":null,\"confidence_source\":\"implied\",\"implied_by\":[\"WordPress\"],"
            + "\"evidence\":[{\"kind\":\"implied\",\"name\":null,\"match\":\"WordPress\",\"page_url\":\"https://wordpress-elementor.test/\",\"version\":null}]",
            json, StringComparison.Ordinal);
    }
}
