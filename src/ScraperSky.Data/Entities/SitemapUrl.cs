namespace ScraperSky.Data.Entities;

/// A page a domain's sitemaps list; unique per (tenant, domain, loc).
public sealed class SitemapUrl
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Domain { get; set; }
    public Guid FileId { get; set; }
    public required string Loc { get; set; }
    public DateTime? Lastmod { get; set; }
    public string? ChangeFreq { get; set; }
    public double? Priority { get; set; }
    public int ImageCount { get; set; }
    public int VideoCount { get; set; }
    public int NewsCount { get; set; }
    public int AlternateCount { get; set; }
}
