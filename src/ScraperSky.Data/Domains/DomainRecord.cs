using System.Linq.Expressions;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Domains;

/// A domain row as the API, the UI and the exports read it: its newest scan's outcome and the current facts.
public sealed record DomainRecord
{
    public required string Domain { get; init; }
    public JobStatus Status { get; init; }
    public string? Error { get; init; }
    public DateTime? FirstScanAt { get; init; }
    public DateTime? LastScanAt { get; init; }
    public DateTime? LastCompletedAt { get; init; }
    public int ScanCount { get; init; }
    public Guid? LastJobId { get; init; }
    public required DomainFacts Facts { get; init; }

    /// The query projection of a domain row.
    public static Expression<Func<Domain, DomainRecord>> FromRow { get; } = d => new DomainRecord
    {
        Domain = d.Name,
        Status = d.LastStatus,
        Error = d.LastError,
        FirstScanAt = d.FirstScanAt,
        LastScanAt = d.LastScanAt,
        LastCompletedAt = d.LastCompletedAt,
        ScanCount = d.ScanCount,
        LastJobId = d.LastJobId,
        Facts = new DomainFacts
        {
            Title = d.Title,
            Description = d.Description,
            Language = d.Language,
            FinalUrl = d.FinalUrl,
            FaviconUrl = d.FaviconUrl,
            LogoUrl = d.LogoUrl,
            Emails = d.Emails,
            Phones = d.Phones,
            Facebook = d.FacebookUrl,
            Twitter = d.TwitterUrl,
            Linkedin = d.LinkedinUrl,
            Instagram = d.InstagramUrl,
            Youtube = d.YoutubeUrl,
            Tiktok = d.TiktokUrl,
            Pinterest = d.PinterestUrl,
            IsWordpress = d.IsWordpress,
            WordpressVersion = d.WordpressVersion,
            HasElementor = d.HasElementor,
            Technologies = d.Technologies,
            TechnologyNames = d.TechnologyNames,
            TechnologyCategories = d.TechnologyCategories,
            SitemapUrls = d.SitemapUrlCount,
            CompanyName = d.CompanyName,
            Country = d.Country,
            VatId = d.VatId,
            ManagingDirectors = d.ManagingDirectors,
            RoleEmails = d.RoleEmails,
            PersonalEmails = d.PersonalEmails,
            LanguageSource = d.LanguageSource,
        },
    };
}
