namespace ScraperSky.Data.Changes;

/// The `type` of a change, as the API and the webhooks spell it.
public static class ChangeTypes
{
    public const string TechAdded = "tech_added";
    public const string TechRemoved = "tech_removed";
    public const string TechVersionChanged = "tech_version_changed";
    public const string EmailAdded = "email_added";
    public const string EmailRemoved = "email_removed";
    public const string PhoneAdded = "phone_added";
    public const string PhoneRemoved = "phone_removed";
    public const string SocialChanged = "social_changed";
    public const string TitleChanged = "title_changed";
    public const string DescriptionChanged = "description_changed";
    public const string LanguageChanged = "language_changed";
    public const string SitemapUrlsChanged = "sitemap_urls_changed";
    public const string FinalUrlChanged = "final_url_changed";
    public const string BecameUnreachable = "became_unreachable";
    public const string Recovered = "recovered";

    public static IReadOnlyList<string> All { get; } =
    [
        TechAdded, TechRemoved, TechVersionChanged, EmailAdded, EmailRemoved, PhoneAdded, PhoneRemoved, SocialChanged,
        TitleChanged, DescriptionChanged, LanguageChanged, SitemapUrlsChanged, FinalUrlChanged, BecameUnreachable, Recovered,
    ];
}

/// One difference between two scans, before it is stored.
public sealed record DetectedChange(string Type, string Field, string? From, string? To);
