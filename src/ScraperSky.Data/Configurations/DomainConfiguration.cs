using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class DomainConfiguration(bool isPostgres) : IEntityTypeConfiguration<Domain>
{
    public void Configure(EntityTypeBuilder<Domain> builder)
    {
        builder.ToTable("domains");
        builder.Property(d => d.Name).HasMaxLength(253);
        builder.HasIndex(d => new { d.TenantId, d.Name }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
        if (isPostgres)
        {
            builder.Property(d => d.TechStack).HasColumnType("jsonb");
            builder.Property(d => d.Metadata).HasColumnType("jsonb");
        }
    }
}
