namespace ScraperSky.Scanning.Fingerprints;

/// One signal that made a technology be reported: its <see cref="Kind"/> (see <see cref="EvidenceKinds"/>), the
/// header, meta, cookie name or DOM selector it was read from (null for page-wide kinds), a short excerpt of what
/// matched (never a cookie's value: those are session secrets) and the page it was seen on. <see cref="Version"/> is
/// set when this signal carried a version.
public sealed record TechnologyEvidence(string Kind, string? Name, string Match, string PageUrl)
{
    public string? Version { get; init; }
}

/// The `kind` values of <see cref="TechnologyEvidence"/>.
public static class EvidenceKinds
{
    public const string Header = "header";
    public const string Cookie = "cookie";
    public const string Meta = "meta";
    public const string ScriptUrl = "script_url";
    public const string InlineScript = "inline_script";
    public const string Html = "html";
    public const string Url = "url";
    public const string Dom = "dom";

    /// Inferred from another technology (`implies`); the match is that technology's name.
    public const string Implied = "implied";
}

/// The `confidence_source` values of a detected technology: seen on a page, or only implied by another technology
/// (Wappalyzer's semantics: an implied technology takes the implying one's confidence, capped by the `implies` entry's
/// own `\;confidence:` tag, and is never reported as seen).
public static class ConfidenceSources
{
    public const string Seen = "seen";
    public const string Implied = "implied";
}
