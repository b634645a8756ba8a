namespace ScraperSky.Scanning.Fingerprints;

/// One signal that made a technology be reported: its <see cref="Kind"/> (see <see cref="EvidenceKinds"/>), the
/// header, meta, cookie name or DOM selector it was read from (null for page-wide kinds), a short excerpt of what
/// matched (never a cookie's value: those are session secrets) and the page it was seen on. <see cref="Version"/> is
/// set when this signal carried a version.
public sealed record TechnologyEvidence(string Kind, string? Name, string Match, string PageUrl)
{
    public string? Version { get; init; }
}
