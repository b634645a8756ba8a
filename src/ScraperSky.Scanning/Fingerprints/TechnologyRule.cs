namespace ScraperSky.Scanning.Fingerprints;

/// One technology of a fingerprint file in the Wappalyzer schema, with its category ids already turned into names.
internal sealed class TechnologyRule
{
    public required string Name { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public IReadOnlyList<FingerprintPattern> Html { get; init; } = [];
    public IReadOnlyList<FingerprintPattern> ScriptSrc { get; init; } = [];
    public IReadOnlyList<FingerprintPattern> Scripts { get; init; } = [];
    public IReadOnlyList<FingerprintPattern> Url { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, FingerprintPattern>> Meta { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, FingerprintPattern>> Headers { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, FingerprintPattern>> Cookies { get; init; } = [];
    public IReadOnlyList<DomRule> Dom { get; init; } = [];

    /// Technologies this one implies, each pattern's source being the name (`PHP\;confidence:50`).
    public IReadOnlyList<FingerprintPattern> Implies { get; init; } = [];
    public IReadOnlyList<string> Excludes { get; init; } = [];
    public IReadOnlyList<string> Requires { get; init; } = [];
}

/// A `dom` entry: a CSS selector that must match, optionally with attribute or text patterns on the matched element.
internal sealed class DomRule
{
    public required string Selector { get; init; }
    public FingerprintPattern? Text { get; init; }
    public IReadOnlyList<KeyValuePair<string, FingerprintPattern>> Attributes { get; init; } = [];

    /// A lower-cased class, id or attribute token the selector needs in the page source; null when none was found.
    public string? Literal { get; init; }
    public bool IsBroken { get; set; }
}
