namespace ScraperSky.Data.Entities;

public sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public required string Name { get; set; }

    /// Lower-case hex SHA-256 of the key; the key itself is shown once and never stored.
    public required string KeyHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
