using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class DomainConfiguration : IEntityTypeConfiguration<Domain>
{
    public void Configure(EntityTypeBuilder<Domain> builder)
    {
        builder.ToTable("domains");
        builder.Property(d => d.Name).HasMaxLength(253);
        builder.Property(d => d.LastStatus).HasConversion(EnumNames.Converter<JobStatus>()).HasMaxLength(20);
        // Lookups and the default listing order go by name; "recently scanned" sorts by the last scan.
        builder.HasIndex(d => new { d.TenantId, d.Name }).IsUnique();
        builder.HasIndex(d => new { d.TenantId, d.LastScanAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
