namespace ScraperSky.Data.Entities;

/// A scanned site's latest result, one row per (tenant, domain).
public sealed class Domain
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// The normalised host name (see ScraperSky.Scanning.Domains.DomainName).
    public required string Name { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Language { get; set; }
    public string? FaviconUrl { get; set; }
    public string? LogoUrl { get; set; }
    public bool IsWordpress { get; set; }
    public string? WordpressVersion { get; set; }
    public bool HasElementor { get; set; }
    public List<string> EmailAddresses { get; set; } = [];
    public List<string> PhoneNumbers { get; set; } = [];
    public string? FacebookUrl { get; set; }
    public string? TwitterUrl { get; set; }
    public string? LinkedinUrl { get; set; }
    public string? InstagramUrl { get; set; }
    public string? YoutubeUrl { get; set; }

    /// The v1 `tech_stack` object as JSON.
    public string? TechStack { get; set; }

    /// The whole `metadata` object of the latest scan as JSON.
    public string? Metadata { get; set; }
    public DateTime? FirstScanAt { get; set; }
    public DateTime? LastScanAt { get; set; }
    public int ScanCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
