using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ScraperSky.Scanning.Fingerprints;

/// Reads the open Wappalyzer schema: `{ "Name": { "cats": [1], "html": ..., "scriptSrc": ..., "scripts": ...,
/// "meta": {name: pattern}, "headers": {...}, "cookies": {...}, "url": ..., "dom": ..., "implies": ...,
/// "excludes": ..., "requires": ... } }` where each pattern value is a string or an array of strings.
/// Properties that need a JavaScript runtime or extra requests (`js`, `css`, `xhr`, `dns`, `robots` ...) are ignored.
internal static partial class FingerprintSchema
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static Dictionary<string, string> ReadCategories(string json, string source)
    {
        var categories = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = Parse(json, source);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var name = property.Value.ValueKind switch
            {
                JsonValueKind.Object when property.Value.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String => n.GetString(),
                JsonValueKind.String => property.Value.GetString(),
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(name))
            {
                categories[property.Name] = name;
            }
        }

        return categories;
    }

    public static List<TechnologyRule> ReadTechnologies(string json, IReadOnlyDictionary<string, string> categories, string source)
    {
        using var document = Parse(json, source);
        var root = document.RootElement;
        // Older single-file datasets nest everything under "technologies" next to "categories".
        if (root.TryGetProperty("technologies", out var nested) && nested.ValueKind == JsonValueKind.Object)
        {
            root = nested;
        }

        var rules = new List<TechnologyRule>();
        foreach (var technology in root.EnumerateObject())
        {
            if (technology.Value.ValueKind != JsonValueKind.Object || string.IsNullOrWhiteSpace(technology.Name))
            {
                continue;
            }

            var t = technology.Value;
            rules.Add(new TechnologyRule
            {
                Name = technology.Name,
                Categories = ReadCategoryNames(t, categories),
                Html = Patterns(t, "html"),
                ScriptSrc = [.. Patterns(t, "scriptSrc"), .. Patterns(t, "script")],
                Scripts = Patterns(t, "scripts"),
                Url = Patterns(t, "url"),
                Meta = NamedPatterns(t, "meta", lowerCaseNames: true),
                Headers = NamedPatterns(t, "headers", lowerCaseNames: true),
                Cookies = NamedPatterns(t, "cookies", lowerCaseNames: false),
                Dom = DomRules(t),
                Implies = Patterns(t, "implies"),
                Excludes = Strings(t, "excludes"),
                Requires = Strings(t, "requires"),
            });
        }

        return rules;
    }

    private static JsonDocument Parse(string json, string source)
    {
        try
        {
            var document = JsonDocument.Parse(json, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new InvalidDataException($"Fingerprint file {source} must hold a JSON object.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Fingerprint file {source} is not valid JSON: {e.Message}", e);
        }
    }

    private static List<string> ReadCategoryNames(JsonElement technology, IReadOnlyDictionary<string, string> categories)
    {
        var names = new List<string>();
        if (!technology.TryGetProperty("cats", out var cats) || cats.ValueKind != JsonValueKind.Array)
        {
            return names;
        }

        foreach (var cat in cats.EnumerateArray())
        {
            var id = cat.ValueKind switch
            {
                JsonValueKind.Number => cat.GetInt32().ToString(CultureInfo.InvariantCulture),
                JsonValueKind.String => cat.GetString(),
                _ => null,
            };
            if (id is not null && categories.TryGetValue(id, out var name) && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static List<string> Strings(JsonElement technology, string property)
    {
        var values = new List<string>();
        if (technology.TryGetProperty(property, out var value))
        {
            AddStrings(value, values);
        }

        return values;
    }

    private static void AddStrings(JsonElement value, List<string> values)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            values.Add(value.GetString()!);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    values.Add(item.GetString()!);
                }
            }
        }
    }

    private static List<FingerprintPattern> Patterns(JsonElement technology, string property) =>
        [.. Strings(technology, property).Select(FingerprintPattern.Parse)];

    private static List<KeyValuePair<string, FingerprintPattern>> NamedPatterns(JsonElement technology, string property, bool lowerCaseNames)
    {
        var patterns = new List<KeyValuePair<string, FingerprintPattern>>();
        if (!technology.TryGetProperty(property, out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return patterns;
        }

        foreach (var entry in map.EnumerateObject())
        {
            var name = lowerCaseNames ? entry.Name.ToLowerInvariant() : entry.Name;
            var values = new List<string>();
            AddStrings(entry.Value, values);
            foreach (var value in values)
            {
                patterns.Add(new(name, FingerprintPattern.Parse(value)));
            }
        }

        return patterns;
    }

    private static List<DomRule> DomRules(JsonElement technology)
    {
        var rules = new List<DomRule>();
        if (!technology.TryGetProperty("dom", out var dom))
        {
            return rules;
        }

        if (dom.ValueKind is JsonValueKind.String or JsonValueKind.Array)
        {
            var selectors = new List<string>();
            AddStrings(dom, selectors);
            rules.AddRange(selectors.Select(s => new DomRule { Selector = s, Literal = SelectorLiteral(s) }));
        }
        else if (dom.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in dom.EnumerateObject())
            {
                var text = entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("text", out var t)
                    && t.ValueKind == JsonValueKind.String ? FingerprintPattern.Parse(t.GetString()!) : null;
                var attributes = entry.Value.ValueKind == JsonValueKind.Object
                    ? NamedPatterns(entry.Value, "attributes", lowerCaseNames: true)
                    : [];
                rules.Add(new DomRule { Selector = entry.Name, Text = text, Attributes = attributes, Literal = SelectorLiteral(entry.Name) });
            }
        }

        return rules;
    }

    /// The longest class, id, attribute name or attribute value a selector needs, as the prefilter literal. Only for
    /// selectors without a comma (a selector list matches when any part does, so no single token is required).
    private static string? SelectorLiteral(string selector)
    {
        if (selector.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        string? best = null;
        foreach (Match m in SelectorToken().Matches(selector))
        {
            var token = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            if (token.Length >= 4 && (best is null || token.Length > best.Length))
            {
                best = token.ToLowerInvariant();
            }
        }

        return best;
    }

    // Tokens after `.`, `#`, `[` or `=` (optionally quoted), and only the part before a substring operator's value.
    [GeneratedRegex("""[.#\[]([A-Za-z0-9_-]+)|[~|^$*]?=["']?([A-Za-z0-9_-]+)""")]
    private static partial Regex SelectorToken();
}
