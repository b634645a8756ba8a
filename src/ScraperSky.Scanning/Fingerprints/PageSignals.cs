using AngleSharp.Dom;

namespace ScraperSky.Scanning.Fingerprints;

/// What a page offers the fingerprint matcher, gathered by the extractor in its single walk over the document.
public sealed record PageSignals
{
    public required string Url { get; init; }
    public required ReadOnlyMemory<char> Html { get; init; }
    public IReadOnlyList<string> ScriptSources { get; init; } = [];
    /// Bodies of inline scripts, usually slices of <see cref="Html"/>.
    public IReadOnlyList<ReadOnlyMemory<char>> InlineScripts { get; init; } = [];

    /// `<meta name|property="..." content="...">` pairs, names lower-cased.
    public IReadOnlyList<KeyValuePair<string, string>> Meta { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);

    /// The parsed document, for `dom` rules; null skips them. Called only when a rule may match (its literal is on
    /// the page), so a page no rule needs never pays for a DOM.
    public Func<IDocument>? Document { get; init; }
}
