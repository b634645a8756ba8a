using ScraperSky.Scanning;

namespace ScraperSky.Data.Domains;

/// The facts of one scan a sales team filters and exports, flattened from its <see cref="SiteMetadata"/>: what the
/// domain row keeps of its newest completed scan, and what a batch's results show for each entry's own scan.
public sealed record DomainFacts
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Language { get; init; }
    public string? FinalUrl { get; init; }
    public string? FaviconUrl { get; init; }
    public string? LogoUrl { get; init; }
    public IReadOnlyList<string> Emails { get; init; } = [];
    public IReadOnlyList<string> Phones { get; init; } = [];
    public string? Facebook { get; init; }
    public string? Twitter { get; init; }
    public string? Linkedin { get; init; }
    public string? Instagram { get; init; }
    public string? Youtube { get; init; }
    public string? Tiktok { get; init; }
    public string? Pinterest { get; init; }
    public bool IsWordpress { get; init; }
    public string? WordpressVersion { get; init; }
    public bool HasElementor { get; init; }

    /// "Name version" per technology, the names alone, and their distinct categories.
    public IReadOnlyList<string> Technologies { get; init; } = [];
    public IReadOnlyList<string> TechnologyNames { get; init; } = [];
    public IReadOnlyList<string> TechnologyCategories { get; init; } = [];
    public long? SitemapUrls { get; init; }
    public string? CompanyName { get; init; }
    public string? Country { get; init; }
    public string? VatId { get; init; }
    public IReadOnlyList<string> ManagingDirectors { get; init; } = [];
    public IReadOnlyList<string> RoleEmails { get; init; } = [];
    public IReadOnlyList<string> PersonalEmails { get; init; } = [];
    public string? LanguageSource { get; init; }

    public static DomainFacts From(SiteMetadata metadata) => new()
    {
        Title = metadata.Title,
        Description = metadata.Description,
        Language = metadata.Language,
        FinalUrl = metadata.FinalUrl,
        FaviconUrl = metadata.FaviconUrl,
        LogoUrl = metadata.LogoUrl,
        Emails = metadata.ContactInfo.Email,
        Phones = metadata.ContactInfo.Phone,
        Facebook = metadata.SocialLinks.Facebook,
        Twitter = metadata.SocialLinks.Twitter,
        Linkedin = metadata.SocialLinks.Linkedin,
        Instagram = metadata.SocialLinks.Instagram,
        Youtube = metadata.SocialLinks.Youtube,
        Tiktok = metadata.SocialLinks.Tiktok,
        Pinterest = metadata.SocialLinks.Pinterest,
        IsWordpress = metadata.IsWordpress,
        WordpressVersion = metadata.WordpressVersion,
        HasElementor = metadata.HasElementor,
        Technologies = [.. metadata.Technologies.Select(t => t.Version is null ? t.Name : $"{t.Name} {t.Version}")],
        TechnologyNames = [.. metadata.Technologies.Select(t => t.Name)],
        TechnologyCategories = [.. metadata.Technologies.SelectMany(t => t.Categories).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        SitemapUrls = metadata.Sitemaps?.Urls,
        CompanyName = metadata.Company?.LegalName?.Value,
        Country = metadata.Company?.Country?.Value,
        VatId = metadata.Company?.VatId?.Value,
        ManagingDirectors = metadata.Company is { } company ? [.. company.ManagingDirectors.Select(d => d.Value)] : [],
        RoleEmails = [.. metadata.ContactInfo.EmailsDetail.Where(e => e.Type == "role").Select(e => e.Email)],
        PersonalEmails = [.. metadata.ContactInfo.EmailsDetail.Where(e => e.Type != "role").Select(e => e.Email)],
        LanguageSource = metadata.LanguageSource,
    };
}
