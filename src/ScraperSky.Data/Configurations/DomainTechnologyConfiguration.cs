using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class DomainTechnologyConfiguration : IEntityTypeConfiguration<DomainTechnology>
{
    public void Configure(EntityTypeBuilder<DomainTechnology> builder)
    {
        builder.ToTable("domain_technologies");
        builder.HasKey(t => new { t.TenantId, t.Domain, t.Name });
        builder.Property(t => t.Domain).HasMaxLength(253);
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
