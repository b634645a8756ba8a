namespace ScraperSky.Data.Entities;

/// When a technology was first and last reported on a domain. A row of its own rather than columns of the domain: one
/// domain has many technologies, each with its own dates, and the upsert per scan touches only those it reported.
public sealed class DomainTechnology
{
    public Guid TenantId { get; set; }
    public required string Domain { get; set; }
    public required string Name { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }
}
