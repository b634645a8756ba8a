using System.Text.Json;

namespace ScraperSky.Scanning.Extraction;

/// What a page's JSON-LD blocks say about the business: its logo, `sameAs` profiles, emails, telephones, country, and
/// the company facts (`legalName`, an organisation's `name`, `vatID`/`taxID`, its `address`).
/// Reads plain objects, arrays of objects, `@graph` and nested objects (publisher, brand ...), and follows `@id`
/// references for the logo the way Yoast and Rank Math write it.
internal sealed class JsonLdFacts : IDisposable
{
    private const int MaxBlockChars = 512 * 1024;
    private const int MaxDepth = 32;

    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, MaxDepth = 64 };

    private readonly Dictionary<string, JsonElement> _byId = new(StringComparer.Ordinal);
    private readonly List<(JsonElement Logo, bool IsOrganization)> _logos = [];
    private readonly List<JsonDocument> _documents = [];

    public List<string> SameAs { get; } = [];
    public List<string> Emails { get; } = [];
    public List<string> Telephones { get; } = [];
    public string? Country { get; private set; }
    public string? LegalName { get; private set; }
    public string? OrganizationName { get; private set; }
    public List<string> TaxIds { get; } = [];

    /// The first organisation's or place's postal address; <see cref="PostalAddress.Page"/> is left empty for the
    /// extractor to fill.
    public PostalAddress? Address { get; private set; }

    /// The first `inLanguage` as written (`en-US`), or the `alternateName` of a `Language` object.
    public string? InLanguage { get; private set; }

    public void Add(string json)
    {
        if (json.Length > MaxBlockChars)
        {
            return;
        }

        try
        {
            var document = JsonDocument.Parse(json, Options);
            _documents.Add(document);
            Visit(document.RootElement, 0);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // Broken JSON-LD is common in the wild; the rest of the page still counts. (A lone surrogate in the
            // block makes the parser throw ArgumentException: the text cannot be transcoded to UTF-8.)
        }
    }

    /// The logo URL as written (relative or absolute), organisations' logos before any other's.
    public string? LogoUrl()
    {
        foreach (var preferOrganization in new[] { true, false })
        {
            foreach (var (logo, isOrganization) in _logos)
            {
                if (isOrganization == preferOrganization && ImageUrl(logo, 0) is { } url)
                {
                    return url;
                }
            }
        }

        return null;
    }

    private string? ImageUrl(JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return NonEmpty(value.GetString());
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (ImageUrl(item, depth + 1) is { } url)
                    {
                        return url;
                    }
                }

                return null;
            case JsonValueKind.Object when depth < 4:
                foreach (var name in new[] { "url", "contentUrl" })
                {
                    if (value.TryGetProperty(name, out var url) && url.ValueKind == JsonValueKind.String && NonEmpty(url.GetString()) is { } u)
                    {
                        return u;
                    }
                }

                return value.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String
                    && _byId.TryGetValue(id.GetString()!, out var target) && !target.Equals(value)
                    ? ImageUrl(target, depth + 1)
                    : null;
            default:
                return null;
        }
    }

    private void Visit(JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Visit(item, depth + 1);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (element.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String && element.EnumerateObject().Count() > 1)
        {
            _byId.TryAdd(id.GetString()!, element);
        }

        if (InLanguage is null && element.TryGetProperty("inLanguage", out var inLanguage))
        {
            InLanguage = inLanguage.ValueKind switch
            {
                JsonValueKind.String => NonEmpty(inLanguage.GetString()),
                JsonValueKind.Object when inLanguage.TryGetProperty("alternateName", out var a) && a.ValueKind == JsonValueKind.String => NonEmpty(a.GetString()),
                _ => null,
            };
        }

        var isPerson = HasType(element, t => t.Equals("Person", StringComparison.OrdinalIgnoreCase));
        if (!isPerson)
        {
            if (element.TryGetProperty("logo", out var logo))
            {
                _logos.Add((logo, HasType(element, IsOrganizationType)));
            }

            if (HasType(element, IsOrganizationType))
            {
                OrganizationName ??= StringOf(element, "name");
            }

            LegalName ??= StringOf(element, "legalName");
            Collect(element, "vatID", TaxIds);
            Collect(element, "taxID", TaxIds);
            if (Address is null && element.TryGetProperty("address", out var address))
            {
                Address = AddressOf(address, 0);
            }

            Collect(element, "sameAs", SameAs);
            Collect(element, "email", Emails);
            Collect(element, "telephone", Telephones);
            if (Country is null && element.TryGetProperty("addressCountry", out var country))
            {
                Country = country.ValueKind switch
                {
                    JsonValueKind.String => NonEmpty(country.GetString()),
                    JsonValueKind.Object when country.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String => NonEmpty(n.GetString()),
                    _ => null,
                };
            }
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array && property.Name != "logo")
            {
                Visit(property.Value, depth + 1);
            }
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? NonEmpty(value.GetString()) : null;

    private static PostalAddress? AddressOf(JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when NonEmpty(value.GetString()) is { } text:
                return new PostalAddress(text, null, null, null, string.Empty);
            case JsonValueKind.Array when depth < 2:
                return value.EnumerateArray().Select(item => AddressOf(item, depth + 1)).FirstOrDefault(a => a is not null);
            case JsonValueKind.Object:
                var country = value.TryGetProperty("addressCountry", out var c)
                    ? c.ValueKind == JsonValueKind.Object ? StringOf(c, "name") : c.ValueKind == JsonValueKind.String ? NonEmpty(c.GetString()) : null
                    : null;
                var address = new PostalAddress(StringOf(value, "streetAddress"), StringOf(value, "postalCode"),
                    StringOf(value, "addressLocality"), country is null ? null : RegionHints.CountryCode(country) ?? country, string.Empty);
                return address is { Street: null, Postcode: null, City: null } ? null : address;
            default:
                return null;
        }
    }

    private static void Collect(JsonElement element, string name, List<string> target)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return;
        }

        if (value.ValueKind == JsonValueKind.String && NonEmpty(value.GetString()) is { } single)
        {
            target.Add(single);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && NonEmpty(item.GetString()) is { } s)
                {
                    target.Add(s);
                }
            }
        }
    }

    private static bool HasType(JsonElement element, Func<string, bool> predicate)
    {
        if (!element.TryGetProperty("@type", out var type))
        {
            return false;
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => predicate(type.GetString()!),
            JsonValueKind.Array => type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && predicate(t.GetString()!)),
            _ => false,
        };
    }

    private static bool IsOrganizationType(string type) =>
        type.Contains("Organization", StringComparison.OrdinalIgnoreCase)
        || type.Contains("Business", StringComparison.OrdinalIgnoreCase)
        || type.Contains("Corporation", StringComparison.OrdinalIgnoreCase)
        || type is "Store" or "Restaurant" or "Brand" or "NGO" or "Organisation";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public void Dispose()
    {
        foreach (var document in _documents)
        {
            document.Dispose();
        }

        _documents.Clear();
        _byId.Clear();
        _logos.Clear();
    }
}
