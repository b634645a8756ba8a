using System.Globalization;
using ScraperSky.Scanning;

namespace ScraperSky.Cli.Output;

/// One scan's result for a person: what the site is, how to reach it, what it runs on, what its sitemaps hold.
public static class ScanSummary
{
    public static async Task WriteAsync(TextWriter output, string domain, SiteMetadata metadata)
    {
        var lines = new List<(string Label, string? Value)>
        {
            ("Domain", domain),
            ("URL", metadata.FinalUrl),
            ("Title", metadata.Title),
            ("Description", metadata.Description),
            ("Language", metadata.Language is null ? null : $"{metadata.Language} ({metadata.LanguageSource ?? "unknown"})"),
            ("Emails", Join(metadata.ContactInfo.Email)),
            ("Phones", Join(metadata.ContactInfo.Phones.Select(p => p.E164))),
            ("Profiles", Join(metadata.SocialProfiles.Select(p => $"{p.Platform} {p.Url}"))),
            ("Technologies", Join(metadata.Technologies.Select(t => t.Version is null ? t.Name : $"{t.Name} {t.Version}"))),
            ("Company", Join(new[] { metadata.Company?.LegalName?.Value, metadata.Company?.Country?.Value, metadata.Company?.VatId?.Value })),
            ("Sitemaps", metadata.Sitemaps is { } sitemaps
                ? string.Create(CultureInfo.InvariantCulture, $"{sitemaps.Files} files, {sitemaps.Urls} URLs{(sitemaps.NewestLastmod is { } newest ? $", newest {newest:yyyy-MM-dd}" : "")}")
                : null),
            ("Partial", metadata.Partial ? metadata.PartialReason ?? "yes" : null),
        };
        foreach (var (label, value) in lines)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                await output.WriteLineAsync($"{label + ":",-14}{value}");
            }
        }
    }

    private static string? Join(IEnumerable<string?> values)
    {
        var text = string.Join(", ", values.Where(v => !string.IsNullOrWhiteSpace(v)));
        return text.Length == 0 ? null : text;
    }
}
