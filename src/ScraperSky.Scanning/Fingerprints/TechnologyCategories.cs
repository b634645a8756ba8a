namespace ScraperSky.Scanning.Fingerprints;

/// Maps fingerprint category names to the four v1 `tech_stack` lists. Names, not ids, so that a loaded public dataset
/// with its own `categories.json` maps the same way as our shipped rules. Categories outside these lists (CDN, web
/// servers, programming languages ...) stay in `technologies` only.
public static class TechnologyCategories
{
    public const string Cms = "cms";
    public const string Frameworks = "frameworks";
    public const string Analytics = "analytics";
    public const string Widgets = "widgets";

    private static readonly Dictionary<string, string> Buckets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CMS"] = Cms,
        ["Ecommerce"] = Cms,
        ["Blogs"] = Cms,
        ["Site builders"] = Cms,
        ["Landing page builders"] = Cms,
        ["JavaScript frameworks"] = Frameworks,
        ["JavaScript libraries"] = Frameworks,
        ["UI frameworks"] = Frameworks,
        ["CSS frameworks"] = Frameworks,
        ["Page builders"] = Frameworks,
        ["Analytics"] = Analytics,
        ["Tag managers"] = Analytics,
        ["Advertising"] = Analytics,
        ["Retargeting"] = Analytics,
        ["Live chat"] = Widgets,
        ["CRM"] = Widgets,
        ["Marketing automation"] = Widgets,
        ["Appointment scheduling"] = Widgets,
        ["Booking"] = Widgets,
        ["Forms"] = Widgets,
        ["Form builders"] = Widgets,
        ["Widgets"] = Widgets,
        ["Email"] = Widgets,
        ["Surveys"] = Widgets,
        ["Reviews"] = Widgets,
    };

    /// The v1 list a category belongs to, or null.
    public static string? BucketFor(string category) => Buckets.GetValueOrDefault(category);
}
