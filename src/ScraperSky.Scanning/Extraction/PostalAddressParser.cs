using System.Text.RegularExpressions;

namespace ScraperSky.Scanning.Extraction;

/// Finds a postal address in a block of text written for people (`Sonnenallee 1, 12045 Berlin`, `12 rue de la Paix
/// <br> 75002 Paris <br> France`, `233 S Wacker Dr, Chicago, IL 60606`): a "postcode city" part anchors it, the street is
/// the part before it, the country the part after it when it names one. The country otherwise comes from a postcode
/// prefix (`D-12045`), the postcode's own shape (UK, US), or the site's region when the postcode has that region's shape.
internal static partial class PostalAddressParser
{
    private const int MaxLines = 400;

    private static readonly Dictionary<string, string> CountryPrefixes = new(StringComparer.Ordinal)
    {
        ["D"] = "DE", ["DE"] = "DE", ["A"] = "AT", ["AT"] = "AT", ["CH"] = "CH", ["F"] = "FR", ["FR"] = "FR", ["E"] = "ES",
        ["ES"] = "ES", ["I"] = "IT", ["IT"] = "IT", ["NL"] = "NL", ["B"] = "BE", ["BE"] = "BE", ["L"] = "LU", ["LU"] = "LU",
    };

    public static PostalAddress? Find(string text, string? regionHint, string page)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var previous = Array.Empty<string>();
        for (var i = 0; i < lines.Length && i < MaxLines; i++)
        {
            var parts = Parts(lines[i]);
            for (var j = 0; j < parts.Length; j++)
            {
                if (TryPlace(parts, j, out var postcode, out var city, out var country, out var cityIndex))
                {
                    // Without a street before it, "2024 Alle Rechte vorbehalten" would be a place too.
                    var street = StreetBefore(parts, cityIndex) ?? (cityIndex == 0 ? StreetBefore(previous, previous.Length) : null);
                    if (street is null)
                    {
                        continue;
                    }

                    var after = j + 1 < parts.Length ? parts[j + 1] : i + 1 < lines.Length ? Parts(lines[i + 1]).FirstOrDefault() : null;
                    country = (after is not null ? RegionHints.CountryCode(after) : null) ?? country
                        ?? (regionHint is not null && PostcodeFits(regionHint, postcode) ? regionHint : null);
                    return new PostalAddress(street, postcode, city, country, page);
                }
            }

            previous = parts;
        }

        return null;
    }

    private static string[] Parts(string line)
    {
        // "Siège social : 12 rue de la Paix, 75002 Paris": the label is not part of the street.
        var parts = Separators().Split(Label().Replace(line, string.Empty, 1)).Select(p => p.Trim()).Where(p => p.Length > 0).ToList();

        // "Via Roma, 12" and "Calle Mayor, 12": a house number written after a comma belongs to its street.
        for (var k = parts.Count - 1; k > 0; k--)
        {
            if (HouseNumber().IsMatch(parts[k]) && !parts[k - 1].Any(char.IsAsciiDigit))
            {
                parts[k - 1] = parts[k - 1] + " " + parts[k];
                parts.RemoveAt(k);
            }
        }

        return [.. parts];
    }

    private static bool TryPlace(string[] parts, int j, out string postcode, out string city, out string? country, out int cityIndex)
    {
        postcode = city = string.Empty;
        country = null;
        cityIndex = j;
        var part = parts[j];
        if (EuropeanPlace().Match(part) is { Success: true } eu)
        {
            postcode = eu.Groups["pc"].Value;
            city = eu.Groups["city"].Value.Trim();
            country = eu.Groups["cc"].Success ? CountryPrefixes.GetValueOrDefault(eu.Groups["cc"].Value) : null;
            return true;
        }

        if (BritishPlace().Match(part) is { Success: true } uk)
        {
            postcode = uk.Groups["pc"].Value;
            city = uk.Groups["city"].Value.Trim();
            country = "GB";
            return true;
        }

        if (j > 0 && AmericanStateZip().Match(part) is { Success: true } us && CityName().IsMatch(parts[j - 1]))
        {
            postcode = us.Groups["pc"].Value;
            city = parts[j - 1];
            country = "US";
            cityIndex = j - 1;
            return true;
        }

        return false;
    }

    private static string? StreetBefore(string[] parts, int index) =>
        index > 0 && parts[index - 1].Length <= 80 && Street().IsMatch(parts[index - 1]) ? parts[index - 1] : null;

    private static bool PostcodeFits(string region, string postcode) => region switch
    {
        "DE" or "FR" or "ES" or "IT" or "US" or "FI" => FiveDigits().IsMatch(postcode),
        "AT" or "CH" or "BE" or "DK" or "NO" or "LU" or "HU" or "AU" => FourDigits().IsMatch(postcode),
        "NL" => DutchPostcode().IsMatch(postcode),
        _ => false,
    };

    [GeneratedRegex(@"\s*(?:,|·|\||•|\s[–—-]\s)\s*")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^[^:：\d]{1,40}[:：]\s*")]
    private static partial Regex Label();

    [GeneratedRegex(@"^\d{1,4}\s?[a-zA-Z]?$")]
    private static partial Regex HouseNumber();

    [GeneratedRegex(@"^(?:(?<cc>[A-Z]{1,2})-)?(?<pc>\d{4}\s?[A-Z]{2}(?=\s)|\d{5}|\d{4}|\d{2}-\d{3}|\d{4}-\d{3}|\d{3}\s\d{2})\s+(?<city>\p{Lu}[\p{L}.'’\- ]{1,40}(?:\s\d{1,2})?)$")]
    private static partial Regex EuropeanPlace();

    [GeneratedRegex(@"^(?<city>\p{Lu}[\p{L}.'’\- ]{1,40}?)\s+(?<pc>[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})$")]
    private static partial Regex BritishPlace();

    [GeneratedRegex(@"^(?<state>[A-Z]{2})\s+(?<pc>\d{5}(?:-\d{4})?)$")]
    private static partial Regex AmericanStateZip();

    [GeneratedRegex(@"^\p{Lu}[\p{L}.'’\- ]{1,40}$")]
    private static partial Regex CityName();

    [GeneratedRegex(@"^(?:\d{1,5}[a-zA-Z]?,?\s+\p{L}[\p{L}\d.'’/\- ]{2,60}|\p{L}[\p{L}.'’/\- ]{2,60}\s\d{1,5}\s?[a-zA-Z]?(?:\s?[-/]\s?\d{1,5}[a-zA-Z]?)?)$")]
    private static partial Regex Street();

    [GeneratedRegex(@"^\d{5}$")]
    private static partial Regex FiveDigits();

    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex FourDigits();

    [GeneratedRegex(@"^\d{4}\s?[A-Z]{2}$")]
    private static partial Regex DutchPostcode();
}
