namespace ScraperSky.Scanning.Extraction;

/// The region national phone numbers are read in: the country of the site's postal address (JSON-LD or a published
/// address), else the country-code TLD, else the region of the page language (`de-AT`), else the country a language is
/// mostly spoken in. Country-code TLDs sold as generic names (.io, .co, .ai ...) say nothing.
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
        ["allemagne"] = "DE", ["germania"] = "DE", ["alemania"] = "DE", ["frankreich"] = "FR", ["francia"] = "FR",
        ["spanien"] = "ES", ["espagne"] = "ES", ["spagna"] = "ES", ["italien"] = "IT", ["italie"] = "IT", ["nederland"] = "NL",
        ["the netherlands"] = "NL", ["pays-bas"] = "NL", ["niederlande"] = "NL", ["belgique"] = "BE", ["belgië"] = "BE",
        ["belgien"] = "BE", ["autriche"] = "AT", ["suisse"] = "CH", ["svizzera"] = "CH", ["england"] = "GB",
        ["great britain"] = "GB", ["portugal"] = "PT", ["polska"] = "PL", ["luxembourg"] = "LU", ["luxemburg"] = "LU",
        ["danmark"] = "DK", ["denmark"] = "DK", ["sverige"] = "SE", ["us"] = "US", ["u.s.a."] = "US",
    };

    public static string? Infer(Uri url, string? addressCountry, string? language)
    {
        if (addressCountry is not null && CountryCode(addressCountry) is { } country)
        {
            return country;
        }

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

    /// The ISO 3166 alpha-2 code of a country written as a code or a name (`DE`, `Deutschland`, `France`), or null.
    public static string? CountryCode(string written)
    {
        var country = written.Trim().TrimEnd('.');
        var region = country.Length == 2 && country.All(char.IsAsciiLetter)
            ? country.ToUpperInvariant() is "UK" ? "GB" : country.ToUpperInvariant()
            : CountryNames.GetValueOrDefault(country);
        return region is not null && PhoneFinder.IsSupportedRegion(region) ? region : null;
    }
}
