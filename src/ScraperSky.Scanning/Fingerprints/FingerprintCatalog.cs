using System.Text.Json;

namespace ScraperSky.Scanning.Fingerprints;

/// The technology rules a scanner detects with: our shipped rules (embedded `Rules/*.json`, written for ScraperSky)
/// plus every `*.json` under `Scanning:FingerprintsDirectory` when configured (the public-dataset layout:
/// `technologies/a.json` .. `_.json` and `categories.json`). A technology defined in both keeps both sets of patterns.
public sealed class FingerprintCatalog
{
    private const string ResourcePrefix = "ScraperSky.Scanning.Fingerprints.Rules.";

    internal FingerprintCatalog(IReadOnlyList<TechnologyRule> rules) => Rules = rules;

    internal IReadOnlyList<TechnologyRule> Rules { get; }

    public int Count => Rules.Count;

    public IEnumerable<string> TechnologyNames => Rules.Select(r => r.Name).Distinct(StringComparer.OrdinalIgnoreCase);

    public static FingerprintCatalog Shipped { get; } = new(LoadShipped());

    /// Shipped rules plus those of <paramref name="directory"/> (when given). A malformed file fails loudly: the
    /// operator configured it and should learn at start, not through silently missing detections.
    public static FingerprintCatalog Load(string? directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            return Shipped;
        }

        return new FingerprintCatalog([.. Shipped.Rules, .. LoadDirectory(directory)]);
    }

    /// Rules from files already in memory (tests and benchmarks), with the shipped categories as fallback.
    internal static FingerprintCatalog FromJson(string technologiesJson, string? categoriesJson = null)
    {
        var categories = categoriesJson is null ? ShippedCategories() : FingerprintSchema.ReadCategories(categoriesJson, "categories");
        return new FingerprintCatalog(FingerprintSchema.ReadTechnologies(technologiesJson, categories, "technologies"));
    }

    private static List<TechnologyRule> LoadShipped() =>
        FingerprintSchema.ReadTechnologies(ReadResource("technologies.json"), ShippedCategories(), "shipped technologies.json");

    private static Dictionary<string, string> ShippedCategories() =>
        FingerprintSchema.ReadCategories(ReadResource("categories.json"), "shipped categories.json");

    private static string ReadResource(string name)
    {
        using var stream = typeof(FingerprintCatalog).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"Embedded fingerprint resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static List<TechnologyRule> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Fingerprints directory '{directory}' does not exist.");
        }

        var files = Directory.GetFiles(directory, "*.json", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        var categoriesFile = files.FirstOrDefault(f => Path.GetFileName(f).Equals("categories.json", StringComparison.OrdinalIgnoreCase));
        var categories = categoriesFile is null
            ? ShippedCategories()
            : FingerprintSchema.ReadCategories(File.ReadAllText(categoriesFile), categoriesFile);
        var rules = new List<TechnologyRule>();
        foreach (var file in files)
        {
            if (file == categoriesFile || Path.GetFileName(file).Equals("groups.json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            rules.AddRange(FingerprintSchema.ReadTechnologies(File.ReadAllText(file), categories, file));
        }

        return rules;
    }
}
