namespace ScraperSky.Scanning.Fingerprints;

/// The `confidence_source` values of a detected technology: seen on a page, or only implied by another technology
/// (Wappalyzer's semantics: an implied technology takes the implying one's confidence, capped by the `implies` entry's
/// own `\;confidence:` tag, and is never reported as seen).
public static class ConfidenceSources
{
    public const string Seen = "seen";
    public const string Implied = "implied";
}
