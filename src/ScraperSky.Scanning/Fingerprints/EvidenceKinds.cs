namespace ScraperSky.Scanning.Fingerprints;

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
