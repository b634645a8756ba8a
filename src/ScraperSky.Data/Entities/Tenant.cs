namespace ScraperSky.Data.Entities;

public sealed class Tenant
{
    /// The tenant of local single-user mode, as the v1 contract names it.
    public static readonly Guid DefaultId = Guid.Parse("550e8400-e29b-41d4-a716-446655440000");

    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
}
