namespace ScraperSky.Scanning.Extraction;

/// A page's language: the first declaration that is a well-formed language tag, in the order `<html lang>`,
/// Content-Language (the `http-equiv` meta, then the header), `og:locale`, JSON-LD `inLanguage`; detection from the
/// visible text only when the page declares nothing usable.
///
/// A declared tag keeps the shape v1 clients already read (`en`, `en-GB`, `pt-BR`): only its first entry, `_` read as
/// `-`, and BCP 47 casing (language lower case, region upper case, script title case). A detected one is the bare
/// ISO 639-1 code (`en`), since text says nothing of the region.
internal static class PageLanguage
{
    /// <param name="ContentLanguageMeta">`&lt;meta http-equiv="content-language"&gt;`, read before the header.</param>
    public readonly record struct Declarations(
        string? HtmlLang, string? ContentLanguageMeta, string? ContentLanguageHeader, string? OgLocale, string? JsonLd);

    public static (string? Language, string? Source) Resolve(Declarations declared, ReadOnlySpan<char> visibleText)
    {
        if (Normalize(declared.HtmlLang) is { } html)
        {
            return (html, LanguageSource.HtmlLang);
        }

        if ((Normalize(declared.ContentLanguageMeta) ?? Normalize(declared.ContentLanguageHeader)) is { } content)
        {
            return (content, LanguageSource.ContentLanguage);
        }

        if (Normalize(declared.OgLocale) is { } locale)
        {
            return (locale, LanguageSource.OgLocale);
        }

        if (Normalize(declared.JsonLd) is { } jsonLd)
        {
            return (jsonLd, LanguageSource.JsonLd);
        }

        return TextLanguageDetector.Detect(visibleText) is { } detected ? (detected, LanguageSource.Detected) : (null, null);
    }

    /// The declared tag in canonical casing, or null when the value is not a language tag (`{{lang}}`, `und`, empty).
    public static string? Normalize(string? declared)
    {
        if (string.IsNullOrWhiteSpace(declared) || declared.Length > 64)
        {
            return null;
        }

        var first = declared.AsSpan();
        var comma = first.IndexOf(',');
        if (comma >= 0)
        {
            first = first[..comma];
        }

        // Content-Language may carry a quality (`de;q=0.9`) although it should not.
        var semicolon = first.IndexOf(';');
        if (semicolon >= 0)
        {
            first = first[..semicolon];
        }

        var parts = first.Trim().ToString().Replace('_', '-').Split('-');
        if (parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetter)
            || parts[0].Equals("und", StringComparison.OrdinalIgnoreCase)
            || parts.Skip(1).Any(p => p.Length is 0 or > 8 || !p.All(char.IsAsciiLetterOrDigit)))
        {
            return null;
        }

        parts[0] = parts[0].ToLowerInvariant();
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i];
            parts[i] = part.Length switch
            {
                2 when part.All(char.IsAsciiLetter) => part.ToUpperInvariant(),
                4 when part.All(char.IsAsciiLetter) => char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant(),
                _ => part.ToLowerInvariant(),
            };
        }

        return string.Join('-', parts);
    }
}
