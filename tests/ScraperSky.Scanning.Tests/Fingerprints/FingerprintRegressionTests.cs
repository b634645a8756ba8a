using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Tests.Fingerprints;

/// Every shipped technology against its fixtures in `fingerprint-fixtures.json` (see <see cref="FingerprintFixtures"/>).
public sealed class FingerprintRegressionTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Detections => Rows(f => f.Detect);

    public static TheoryData<string, int> NearMisses => Rows(f => f.Miss);

    [Theory]
    [MemberData(nameof(Detections))]
    public void Each_shipped_technology_is_detected_on_its_fixture_with_its_version(string technology, int index)
    {
        var fixture = FingerprintFixtures.All[technology].Detect[index];
        var found = FingerprintFixtures.Extract(FingerprintMatcher.Shipped, fixture).Technologies.SingleOrDefault(t => t.Name == technology);

        Assert.True(found is not null, $"{technology} was not detected on {fixture}");
        if (fixture.Version is not null)
        {
            Assert.Equal(fixture.Version, found.Version);
        }

        Assert.Equal(fixture.Implied ? ConfidenceSources.Implied : ConfidenceSources.Seen, found.ConfidenceSource);
        Assert.NotEmpty(found.Evidence);
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void A_near_miss_does_not_detect_the_technology(string technology, int index)
    {
        var fixture = FingerprintFixtures.All[technology].Miss[index];
        var found = FingerprintFixtures.Extract(FingerprintMatcher.Shipped, fixture).Technologies;
        Assert.DoesNotContain(found, t => t.Name == technology);
    }

    [Fact]
    public void Every_shipped_technology_has_a_detecting_fixture_with_its_version_and_a_near_miss()
    {
        var fixtures = FingerprintFixtures.All;
        var missing = new List<string>();
        foreach (var name in FingerprintCatalog.Shipped.TechnologyNames)
        {
            if (!fixtures.TryGetValue(name, out var f) || f.Detect.Count == 0 || f.Miss.Count == 0)
            {
                missing.Add($"{name}: needs a detecting fixture and a near-miss");
            }
            else if (HasVersionPattern(name) && !f.Detect.Any(c => c.Version is not null))
            {
                missing.Add($"{name}: its rule reads a version, so a fixture must check one");
            }
        }

        missing.AddRange(fixtures.Keys.Except(FingerprintCatalog.Shipped.TechnologyNames).Select(n => $"{n}: not a shipped technology"));
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_shipped_technology_has_the_categories_the_fixtures_expect()
    {
        var wrong = FingerprintCatalog.Shipped.Rules
            .Where(r => FingerprintFixtures.All.TryGetValue(r.Name, out var f) && !f.Categories.Order().SequenceEqual(r.Categories.Order()))
            .Select(r => $"{r.Name}: [{string.Join(", ", r.Categories)}], expected [{string.Join(", ", FingerprintFixtures.All[r.Name].Categories)}]")
            .ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void No_shipped_technology_has_categories_from_unrelated_families()
    {
        // An advertising pixel filed under "Databases" (as ten once were) mixes families no technology spans.
        string[][] families =
        [
            ["CMS", "Ecommerce", "Blogs", "Site builders", "Page builders", "Headless CMS", "LMS", "Static site generator", "WordPress themes"],
            ["JavaScript frameworks", "JavaScript libraries", "UI frameworks", "Web frameworks", "Static site generator", "Font scripts"],
            ["Analytics", "Tag managers", "Advertising", "A/B Testing", "RUM", "Marketing automation", "CRM", "Email", "Live chat",
                "Surveys", "Reviews", "Widgets", "Comment systems", "Appointment scheduling", "Form builders", "Cookie compliance",
                "Payment processors", "Video players", "Maps", "Issue trackers", "Security"],
            ["Web servers", "Reverse proxies", "CDN", "Hosting", "Caching", "Security"],
            ["Databases"],
            ["Programming languages"],
        ];
        var mixed = FingerprintCatalog.Shipped.Rules
            .Select(r => (r.Name, Categories: r.Categories.Where(c => c != "WordPress plugins").ToList()))
            .Where(r => r.Categories.Count > 0 && !families.Any(f => r.Categories.All(f.Contains)))
            .Select(r => $"{r.Name}: {string.Join(", ", r.Categories)}")
            .ToList();
        Assert.Empty(mixed);
    }

    [Fact]
    public void Comparing_a_loaded_dataset_with_the_shipped_rules_reports_each_fixture_whose_detections_change()
    {
        // Set Scanning__FingerprintsDirectory to compare a real dataset (the report goes to the test output); without
        // it, a small dataset that adds one technology and a second WordPress version source shows what is reported.
        var configured = Environment.GetEnvironmentVariable("Scanning__FingerprintsDirectory");
        var directory = configured ?? Directory.CreateTempSubdirectory("fingerprints-").FullName;
        try
        {
            if (configured is null)
            {
                File.WriteAllText(Path.Combine(directory, "w.json"), """
                {
                  "Widget Hub": { "cats": [17], "html": "cdn\\.fixture\\.test/" },
                  "WordPress": { "cats": [1], "html": "/wp-includes/js/\\;version:9.9" }
                }
                """);
            }

            var report = FingerprintFixtures.Compare(FingerprintMatcher.Shipped, new FingerprintMatcher(FingerprintCatalog.Load(directory)));
            foreach (var line in report)
            {
                output.WriteLine(line);
            }

            if (configured is not null)
            {
                // The test runner shows a passing test's output only in its reports; the file is where to read it.
                var file = Path.Combine(AppContext.BaseDirectory, "fingerprint-changes.txt");
                File.WriteAllLines(file, [$"{report.Count} fixture cases change with {configured}:", .. report]);
                TestContext.Current.SendDiagnosticMessage($"Fingerprint changes written to {file}");
            }

            if (configured is null)
            {
                Assert.Contains("OWL Carousel detect[0]: +Widget Hub", report);
                Assert.Contains("WordPress detect[1]: ~WordPress -/100 -> 9.9/100", report);
                Assert.DoesNotContain(report, l => l.StartsWith("Nginx ", StringComparison.Ordinal));
            }
        }
        finally
        {
            if (configured is null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static bool HasVersionPattern(string name) => FingerprintCatalog.Shipped.Rules
        .Where(r => r.Name == name)
        .SelectMany(r => r.Html.Concat(r.ScriptSrc).Concat(r.Scripts).Concat(r.Url)
            .Concat(r.Meta.Select(m => m.Value)).Concat(r.Headers.Select(h => h.Value)).Concat(r.Cookies.Select(c => c.Value)))
        .Any(p => p.VersionTemplate is not null);

    private static TheoryData<string, int> Rows(Func<TechnologyFixtures, IReadOnlyList<FixtureCase>> cases)
    {
        var rows = new TheoryData<string, int>();
        foreach (var (name, fixtures) in FingerprintFixtures.All.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            for (var i = 0; i < cases(fixtures).Count; i++)
            {
                rows.Add(name, i);
            }
        }

        return rows;
    }
}
