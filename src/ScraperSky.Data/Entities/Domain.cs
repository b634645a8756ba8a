namespace ScraperSky.Data.Entities;

/// The current facts of one domain for one tenant, from its newest scan: a failed scan updates the status and error
/// and keeps the facts of the last completed one. The columns are those the domain search filters on and the exports
/// list; the full result of each scan is in <see cref="DomainScan"/>. Written only by <c>DomainStore</c>.
public sealed class Domain
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// The normalised host name (see ScraperSky.Scanning.Domains.DomainName).
    public required string Name { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Language { get; set; }
    public string? FinalUrl { get; set; }
    public string? FaviconUrl { get; set; }
    public string? LogoUrl { get; set; }
    public List<string> Emails { get; set; } = [];
    public List<string> Phones { get; set; } = [];
    public string? FacebookUrl { get; set; }
    public string? TwitterUrl { get; set; }
    public string? LinkedinUrl { get; set; }
    public string? InstagramUrl { get; set; }
    public string? YoutubeUrl { get; set; }
    public string? TiktokUrl { get; set; }
    public string? PinterestUrl { get; set; }
    public bool IsWordpress { get; set; }
    public string? WordpressVersion { get; set; }
    public bool HasElementor { get; set; }

    /// Technologies as shown ("WordPress 6.4.2"), their names alone (what `tech` filters match) and their categories.
    public List<string> Technologies { get; set; } = [];
    public List<string> TechnologyNames { get; set; } = [];
    public List<string> TechnologyCategories { get; set; } = [];
    public long? SitemapUrlCount { get; set; }

    /// Who is behind the site, as its JSON-LD or legal notice publishes it.
    public string? CompanyName { get; set; }
    public string? Country { get; set; }
    public string? VatId { get; set; }
    public List<string> ManagingDirectors { get; set; } = [];

    /// The emails split by kind: shared mailboxes (info@, sales@ ...) and people.
    public List<string> RoleEmails { get; set; } = [];
    public List<string> PersonalEmails { get; set; } = [];

    /// Where the language came from: `html_lang`, `content_language`, `og_locale`, `json_ld` or `detected`.
    public string? LanguageSource { get; set; }

    /// The newest scan's outcome (completed or failed), its error, job and scan.
    public JobStatus LastStatus { get; set; }
    public string? LastError { get; set; }
    public Guid? LastJobId { get; set; }
    public Guid? LastScanId { get; set; }
    public DateTime? FirstScanAt { get; set; }
    public DateTime? LastScanAt { get; set; }

    /// When the facts were last replaced: the newest completed scan.
    public DateTime? LastCompletedAt { get; set; }
    public int ScanCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
