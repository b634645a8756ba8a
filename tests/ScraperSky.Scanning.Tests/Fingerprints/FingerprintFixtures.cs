using System.Text.Json;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fingerprints;
using ScraperSky.Scanning.Tests.Extraction;

namespace ScraperSky.Scanning.Tests.Fingerprints;

/// The fingerprint regression suite's data: `fingerprint-fixtures.json` lists, per shipped technology, its expected
/// categories, page snippets (HTML, headers, cookies as `Set-Cookie`, page URL) that must detect it (with the version
/// when given) and near-misses that must not. Each case is read by the real extractor, so script URLs and meta tags
/// are gathered as on a fetched page.
internal static class FingerprintFixtures
{
    public static IReadOnlyDictionary<string, TechnologyFixtures> All { get; } = Load();

    public static PageExtraction Extract(FingerprintMatcher matcher, FixtureCase fixture)
    {
        var html = fixture.Html ?? string.Empty;
        if (!html.Contains("<html", StringComparison.OrdinalIgnoreCase))
        {
            html = $"<!DOCTYPE html><html><head><title>Fixture</title>{html}</head><body><p>Fixture page.</p></body></html>";
        }

        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in fixture.Headers ?? [])
        {
            headers[name] = [value];
        }

        return new HtmlExtractor(matcher).Extract(FixturePages.Page(new Uri(fixture.Url ?? "https://fixture.test/"), html, headers));
    }

    /// Every case run with both matchers, one line per case whose detections differ: `+` found only by the candidate,
    /// `-` only by the baseline, `~` a version or confidence that changed.
    public static List<string> Compare(FingerprintMatcher baseline, FingerprintMatcher candidate)
    {
        var report = new List<string>();
        foreach (var (technology, fixtures) in All.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var (kind, cases) in new[] { ("detect", fixtures.Detect), ("miss", fixtures.Miss) })
            {
                for (var i = 0; i < cases.Count; i++)
                {
                    var before = Extract(baseline, cases[i]).Technologies.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
                    var after = Extract(candidate, cases[i]).Technologies.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
                    var changes = after.Keys.Except(before.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).Select(n => "+" + n)
                        .Concat(before.Keys.Except(after.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).Select(n => "-" + n))
                        .Concat(before.Keys.Intersect(after.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)
                            .Where(n => before[n].Version != after[n].Version || before[n].Confidence != after[n].Confidence)
                            .Select(n => $"~{n} {before[n].Version ?? "-"}/{before[n].Confidence} -> {after[n].Version ?? "-"}/{after[n].Confidence}"))
                        .ToList();
                    if (changes.Count > 0)
                    {
                        report.Add($"{technology} {kind}[{i}]: {string.Join(", ", changes)}");
                    }
                }
            }
        }

        return report;
    }

    private static Dictionary<string, TechnologyFixtures> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fingerprints", "fingerprint-fixtures.json");
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        return JsonSerializer.Deserialize<Dictionary<string, TechnologyFixtures>>(File.ReadAllText(path), options)
            ?? throw new InvalidDataException($"{path} holds no fixtures.");
    }
}

internal sealed record TechnologyFixtures
{
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<FixtureCase> Detect { get; init; } = [];
    public IReadOnlyList<FixtureCase> Miss { get; init; } = [];
}

internal sealed record FixtureCase
{
    public string? Html { get; init; }
    public Dictionary<string, string>? Headers { get; init; }
    public string? Url { get; init; }

    /// The version a detecting case must report; null when the case does not check one.
    public string? Version { get; init; }

    /// The technology is expected only as implied by another (its confidence source is then `implied`).
    public bool Implied { get; init; }
}
