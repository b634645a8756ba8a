namespace ScraperSky.Scanning.Extraction;

/// Where a page's language was read (the `language_source` metadata field), in the order they are tried.
public static class LanguageSource
{
    public const string HtmlLang = "html_lang";
    public const string ContentLanguage = "content_language";
    public const string OgLocale = "og_locale";
    public const string JsonLd = "json_ld";
    public const string Detected = "detected";
}
