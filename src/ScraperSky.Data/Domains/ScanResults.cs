using System.Text.Json;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Domains;

/// Reading a stored scan result back.
public static class ScanResults
{
    /// The metadata as stored, for returning it as it is.
    public static JsonElement? Element(string? result)
    {
        if (string.IsNullOrEmpty(result))
        {
            return null;
        }

        using var document = JsonDocument.Parse(result);
        return document.RootElement.Clone();
    }

    /// The flattened facts of a stored result; null when there is none (a failed scan).
    public static DomainFacts? Facts(string? result) =>
        string.IsNullOrEmpty(result) || JsonSerializer.Deserialize<SiteMetadata>(result, ScanJson.Options) is not { } metadata
            ? null
            : DomainFacts.From(metadata);
}
