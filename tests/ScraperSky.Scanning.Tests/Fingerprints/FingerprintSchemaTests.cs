using System.Text.RegularExpressions;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Tests.Fingerprints;

public sealed class FingerprintSchemaTests
{
    private static IReadOnlyList<DetectedTechnology> Detect(string technologiesJson, PageSignals page, string? categoriesJson = null) =>
        new FingerprintMatcher(FingerprintCatalog.FromJson(technologiesJson, categoriesJson)).Detect(page);

    private static PageSignals Page(string html = "", Dictionary<string, IReadOnlyList<string>>? headers = null,
        string url = "https://site.test/", IReadOnlyList<string>? scripts = null, IReadOnlyList<KeyValuePair<string, string>>? meta = null) => new()
    {
        Url = url,
        Html = html.AsMemory(),
        Headers = headers ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase),
        ScriptSources = scripts ?? [],
        Meta = meta ?? [],
    };

    [Fact]
    public void Version_templates_support_the_ternary_form()
    {
        const string rules = """{ "Lib": { "cats": [7], "scriptSrc": "lib(?:-(\\d+\\.\\d+))?\\.js(?:\\?v=(\\d+))?\\;version:\\1?\\1:v\\2" } }""";
        Assert.Equal("2.5", Detect(rules, Page(scripts: ["https://cdn.test/lib-2.5.js"]))[0].Version);
        Assert.Equal("v7", Detect(rules, Page(scripts: ["https://cdn.test/lib.js?v=7"]))[0].Version);
    }

    [Theory]
    [InlineData("<link rel='stylesheet' href='/css/bulma.min.css'>", true)]
    [InlineData("<link rel='stylesheet' href='/css/site.css'><p>We like BULMA-START themes</p>", true)]
    [InlineData("<link rel='stylesheet' href='/css/site.css'><p>bulma</p>", false)]
    [InlineData("<p>bulma.css</p>", false)]
    public void A_pattern_runs_where_all_literals_of_one_of_its_alternatives_are_on_the_page(string html, bool detected)
    {
        // The prefilter asks for every literal of an alternative (`<link`, `bulma` and `.css`), not only its longest.
        const string rules = """{ "Bulma": { "cats": [66], "html": "<link[^>]+bulma(?:\\.min)?\\.css|bulma-start" } }""";
        Assert.Equal(detected, Detect(rules, Page(html)).Any(t => t.Name == "Bulma"));
    }

    [Theory]
    [InlineData(new[] { "https://cdn.test/lib-alpha/1.js", "https://cdn.test/2/lib-omega.js" }, null)]
    [InlineData(new[] { "https://cdn.test/lib-alpha/1.js", "https://cdn.test/2/lib-omega.js", "https://cdn.test/lib-alpha/3.0/lib-omega.js" }, "3.0")]
    [InlineData(new[] { "https://cdn.test/x.js", "https://cdn.test/y.js", "https://cdn.test/z.js", "https://cdn.test/Lib-Alpha/6.2/LIB-OMEGA.js" }, "6.2")]
    public void A_script_source_pattern_runs_on_each_source_that_holds_its_literals_itself(string[] sources, string? version)
    {
        // Each source is tried where it alone holds the pattern's literals (`lib-alpha/`, `/lib-omega`), in any case:
        // the page holding them in different sources makes neither match, and the source that does may be any of
        // them, the last included.
        const string rules = """{ "Lib": { "cats": [59], "scriptSrc": "lib-alpha/([\\d.]+)/lib-omega\\;version:\\1" } }""";
        var html = string.Concat(sources.Select(s => $"<script src='{s}'></script>"));
        Assert.Equal(version, Detect(rules, Page(html, scripts: sources)).SingleOrDefault(t => t.Name == "Lib")?.Version);
    }

    [Fact]
    public void Anchored_scripts_patterns_match_each_inline_script_as_a_whole_though_it_is_a_slice_of_the_page()
    {
        // The extractor hands the matcher inline scripts as slices of the page source, not copies: `^` and `$` must
        // still mean the script's own start and end, and captures must come from the slice.
        const string rules = """
        {
          "Starts": { "cats": [59], "scripts": "^\\s*window\\.widgetKit\\s*=\\s*\\{ver:'([\\d.]+)'\\;version:\\1" },
          "Ends": { "cats": [59], "scripts": "kitReady\\(\\);$" }
        }
        """;
        const string html = "<p>window.widgetKit = {ver:'0.1'}</p><script> window.widgetKit = {ver:'3.2.1'}; boot();</script>"
            + "<script>var a = 1; kitReady();</script><p>kitReady();</p>";
        var first = html.IndexOf("<script>", StringComparison.Ordinal) + "<script>".Length;
        var second = html.IndexOf("<script>", first, StringComparison.Ordinal) + "<script>".Length;
        var page = Page(html) with
        {
            InlineScripts =
            [
                html.AsMemory(first, html.IndexOf("</script>", first, StringComparison.Ordinal) - first),
                html.AsMemory(second, html.IndexOf("</script>", second, StringComparison.Ordinal) - second),
            ],
        };

        var found = Detect(rules, page).ToDictionary(t => t.Name);

        Assert.Equal(["Ends", "Starts"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("3.2.1", found["Starts"].Version);
    }

    [Fact]
    public void A_pattern_anchored_at_the_end_does_not_match_a_script_that_goes_on_in_the_page()
    {
        const string rules = """{ "Ends": { "cats": [59], "scripts": "kitReady\\(\\);$" } }""";
        const string html = "<script>kitReady(); more();</script>";
        var page = Page(html) with { InlineScripts = [html.AsMemory(8, 18)] };

        Assert.Empty(Detect(rules, page));
    }

    [Fact]
    public void Confidence_tags_add_up_to_at_most_100()
    {
        const string rules = """{ "Maybe": { "cats": [9], "html": ["alpha-token\\;confidence:30", "beta-token\\;confidence:40"] } }""";
        Assert.Equal(30, Detect(rules, Page("<i class=alpha-token>"))[0].Confidence);
        Assert.Equal(70, Detect(rules, Page("<i class='alpha-token beta-token'>"))[0].Confidence);
    }

    [Fact]
    public void Meta_headers_cookies_and_url_patterns_match_their_own_inputs()
    {
        const string rules = """
        {
          "ByMeta": { "cats": [1], "meta": { "Generator": "^ShopKit ([\\d.]+)\\;version:\\1" } },
          "ByHeader": { "cats": [19], "headers": { "x-served-with": "^Engine/(\\d+)\\;version:\\1" } },
          "ByCookie": { "cats": [21], "cookies": { "sess_*": "" } },
          "ByUrl": { "cats": [2], "url": "\\.shopkit\\.test" }
        }
        """;
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-Served-With"] = ["Engine/4"],
            ["Set-Cookie"] = ["sess_ab12=1; Path=/"],
        };
        var found = Detect(rules, Page(headers: headers, url: "https://demo.shopkit.test/", meta: [new("generator", "ShopKit 2.1")]))
            .ToDictionary(t => t.Name);

        Assert.Equal(["ByCookie", "ByHeader", "ByMeta", "ByUrl"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("2.1", found["ByMeta"].Version);
        Assert.Equal("4", found["ByHeader"].Version);
    }

    [Fact]
    public void Implies_excludes_and_requires_are_resolved()
    {
        const string rules = """
        {
          "Theme": { "cats": [40], "html": "theme-marker", "requires": "Cms" },
          "Orphan": { "cats": [40], "html": "orphan-marker", "requires": "Cms" },
          "Cms": { "cats": [1], "html": "cms-marker", "implies": ["Lang\\;confidence:50"], "excludes": "OtherCms" },
          "OtherCms": { "cats": [1], "html": "theme-marker" },
          "Lang": { "cats": [20] }
        }
        """;
        var found = Detect(rules, Page("cms-marker theme-marker")).ToDictionary(t => t.Name);
        Assert.Equal(["Cms", "Lang", "Theme"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(50, found["Lang"].Confidence);

        Assert.Equal(["OtherCms"], Detect(rules, Page("orphan-marker theme-marker")).Select(t => t.Name));
    }

    [Fact]
    public void Dom_selectors_match_elements_and_their_attributes()
    {
        const string rules = """
        {
          "Widget": { "cats": [17], "dom": "div.acme-widget-root" },
          "Player": { "cats": [29], "dom": { "video[data-player]": { "attributes": { "data-player": "acme-(\\d+)\\;version:\\1" } } } },
          "Broken": { "cats": [17], "dom": "div[[[" }
        }
        """;
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        const string html = "<div class='acme-widget-root'></div><video data-player='acme-3'></video><div>[[[</div>";
        using var document = parser.ParseDocument(html);
        var page = Page(html) with { Document = () => document };

        var found = Detect(rules, page).ToDictionary(t => t.Name);
        Assert.Equal(["Player", "Widget"], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("3", found["Player"].Version);
    }

    [Fact]
    public void Category_ids_map_through_the_dataset_own_categories_file()
    {
        const string categories = """{ "10": { "name": "Analytics" }, "99": { "name": "Something new" } }""";
        const string rules = """{ "Counter": { "cats": [10, 99, 12345], "html": "counter-js" } }""";
        var technology = Detect(rules, Page("counter-js"), categories).Single();
        Assert.Equal(["Analytics", "Something new"], technology.Categories);
    }

    [Fact]
    public void Lookaround_patterns_work_and_patterns_NET_cannot_read_match_nothing()
    {
        const string rules = """
        {
          "Lookahead": { "cats": [7], "html": "widget-(?!beta)(\\w+)\\;version:\\1" },
          "Invalid": { "cats": [7], "html": "widget-(unclosed" }
        }
        """;
        var found = Detect(rules, Page("<div class=widget-gamma>"));
        Assert.Equal([("Lookahead", "gamma")], found.Select(t => (t.Name, t.Version!)));
    }

    [Fact]
    public void A_pattern_without_a_literal_reads_only_the_top_of_a_huge_page()
    {
        const string rules = """{ "Early": { "cats": [7], "html": "(?:data|aria)-[a-z]{3}7x\\d" } }""";
        var filler = new string(' ', FingerprintMatcher.MaxUnfilteredHtmlChars);
        Assert.Single(Detect(rules, Page("<div data-abc7x1></div>" + filler)));
        Assert.Empty(Detect(rules, Page(filler + "<div data-abc7x1></div>")));
    }

    [Fact]
    public void A_directory_in_the_public_layout_is_loaded_and_a_malformed_file_fails_loudly()
    {
        var directory = Directory.CreateTempSubdirectory("fingerprints-");
        try
        {
            var technologies = Directory.CreateDirectory(Path.Combine(directory.FullName, "technologies"));
            File.WriteAllText(Path.Combine(directory.FullName, "categories.json"), """{ "1": { "name": "CMS" } }""");
            File.WriteAllText(Path.Combine(technologies.FullName, "a.json"), """{ "Acme CMS": { "cats": [1], "html": "acme-cms" } }""");
            File.WriteAllText(Path.Combine(technologies.FullName, "_.json"), """{ "_Zeta": { "cats": [1], "meta": { "generator": "^Zeta" } } }""");

            var catalog = FingerprintCatalog.Load(directory.FullName);
            Assert.Equal(FingerprintCatalog.Shipped.Count + 2, catalog.Count);
            Assert.Contains("Acme CMS", catalog.TechnologyNames);

            File.WriteAllText(Path.Combine(technologies.FullName, "b.json"), "{ \"Broken\": ");
            var error = Assert.Throws<InvalidDataException>(() => FingerprintCatalog.Load(directory.FullName));
            Assert.Contains("b.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Our_shipped_rules_cover_about_150_technologies_and_every_pattern_is_also_safe_for_the_non_backtracking_engine()
    {
        Assert.InRange(FingerprintCatalog.Shipped.TechnologyNames.Count(), 150, 400);
        foreach (var rule in FingerprintCatalog.Shipped.Rules)
        {
            foreach (var pattern in AllPatterns(rule))
            {
                if (pattern.Source.Length > 0)
                {
                    _ = new Regex(pattern.Source, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
                }
            }
        }
    }

    [Fact]
    public void Every_shipped_html_and_script_pattern_has_a_prefilter_literal()
    {
        var missing = FingerprintCatalog.Shipped.Rules
            .SelectMany(r => r.Html.Concat(r.ScriptSrc).Concat(r.Scripts).Concat(r.Url).Select(p => (r.Name, p)))
            .Where(x => x.p.Literals is null)
            .Select(x => $"{x.Name}: {x.p.Source}")
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_shipped_technology_maps_its_categories_and_implies_only_known_technologies()
    {
        var names = FingerprintCatalog.Shipped.TechnologyNames.ToHashSet(StringComparer.Ordinal);
        foreach (var rule in FingerprintCatalog.Shipped.Rules)
        {
            Assert.NotEmpty(rule.Categories);
            Assert.All(rule.Implies, i => Assert.Contains(i.Source, names));
        }
    }

    private static IEnumerable<FingerprintPattern> AllPatterns(TechnologyRule rule) =>
        rule.Html.Concat(rule.ScriptSrc).Concat(rule.Scripts).Concat(rule.Url)
            .Concat(rule.Meta.Select(m => m.Value)).Concat(rule.Headers.Select(h => h.Value)).Concat(rule.Cookies.Select(c => c.Value));
}
