namespace ScraperSky.Scanning.Extraction;

/// The region national phone numbers are read in: the country-code TLD, else the JSON-LD address country, else the
/// region of the page language (`de-AT`), else the country a language is mostly spoken in. Country-code TLDs sold as
/// generic names (.io, .co, .ai ...) say nothing.
internal static class RegionHints
{
    private static readonly HashSet<string> GenericCcTlds = new(StringComparer.OrdinalIgnoreCase)
    {
        "io", "co", "ai", "me", "tv", "fm", "ly", "gg", "to", "cc", "ws", "app", "sh", "so", "la", "im",
    };

    private static readonly Dictionary<string, string> LanguageRegions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "US", ["de"] = "DE", ["fr"] = "FR", ["nl"] = "NL", ["it"] = "IT", ["es"] = "ES", ["pl"] = "PL",
        ["sv"] = "SE", ["da"] = "DK", ["fi"] = "FI", ["nb"] = "NO", ["no"] = "NO", ["nn"] = "NO", ["cs"] = "CZ",
        ["sk"] = "SK", ["hu"] = "HU", ["ro"] = "RO", ["el"] = "GR", ["ja"] = "JP", ["ko"] = "KR", ["tr"] = "TR",
        ["he"] = "IL", ["uk"] = "UA", ["bg"] = "BG", ["hr"] = "HR", ["sl"] = "SI", ["et"] = "EE", ["lv"] = "LV",
        ["lt"] = "LT",
    };

    private static readonly Dictionary<string, string> CountryNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["germany"] = "DE", ["deutschland"] = "DE", ["united states"] = "US", ["usa"] = "US", ["united kingdom"] = "GB",
        ["uk"] = "GB", ["france"] = "FR", ["austria"] = "AT", ["österreich"] = "AT", ["switzerland"] = "CH",
        ["schweiz"] = "CH", ["netherlands"] = "NL", ["spain"] = "ES", ["españa"] = "ES", ["italy"] = "IT", ["italia"] = "IT",
        ["canada"] = "CA", ["australia"] = "AU", ["ireland"] = "IE", ["belgium"] = "BE", ["poland"] = "PL", ["sweden"] = "SE",
    };

    public static string? Infer(Uri url, string? addressCountry, string? language)
    {
        var host = url.Host.TrimEnd('.');
        var tld = host[(host.LastIndexOf('.') + 1)..];
        if (tld.Length == 2 && !GenericCcTlds.Contains(tld))
        {
            var region = tld.Equals("uk", StringComparison.OrdinalIgnoreCase) ? "GB" : tld.ToUpperInvariant();
            if (PhoneFinder.IsSupportedRegion(region))
            {
                return region;
            }
        }

        if (addressCountry is not null)
        {
            var country = addressCountry.Trim();
            var region = country.Length == 2 ? country.ToUpperInvariant() : CountryNames.GetValueOrDefault(country);
            if (region is not null && PhoneFinder.IsSupportedRegion(region))
            {
                return region;
            }
        }

        if (language is not null)
        {
            var parts = language.Split('-', '_');
            if (parts.Length > 1 && parts[1].Length == 2 && PhoneFinder.IsSupportedRegion(parts[1].ToUpperInvariant()))
            {
                return parts[1].ToUpperInvariant();
            }

            if (LanguageRegions.TryGetValue(parts[0], out var region))
            {
                return region;
            }
        }

        return null;
    }
}
