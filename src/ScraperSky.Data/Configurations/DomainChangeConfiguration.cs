using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class DomainChangeConfiguration : IEntityTypeConfiguration<DomainChange>
{
    public void Configure(EntityTypeBuilder<DomainChange> builder)
    {
        builder.ToTable("domain_changes");
        builder.Property(c => c.Id).ValueGeneratedOnAdd();
        builder.Property(c => c.Domain).HasMaxLength(253);
        builder.Property(c => c.Type).HasMaxLength(40);
        builder.Property(c => c.Field).HasMaxLength(100);
        builder.Property(c => c.From).HasColumnName("from_value");
        builder.Property(c => c.To).HasColumnName("to_value");
        // A domain's changes and the tenant's feed, both newest first by sequence.
        builder.HasIndex(c => new { c.TenantId, c.Domain, c.Id });
        builder.HasIndex(c => new { c.TenantId, c.Id });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
