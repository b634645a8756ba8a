using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class DomainScanConfiguration(bool isPostgres) : IEntityTypeConfiguration<DomainScan>
{
    public void Configure(EntityTypeBuilder<DomainScan> builder)
    {
        builder.ToTable("domain_scans");
        builder.Property(s => s.Domain).HasMaxLength(253);
        builder.Property(s => s.Status).HasConversion(EnumNames.Converter<JobStatus>()).HasMaxLength(20);
        // A domain's history newest first; a job's result (a retried job may end more than once).
        builder.HasIndex(s => new { s.TenantId, s.Domain, s.ScannedAt });
        builder.HasIndex(s => s.JobId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        if (isPostgres)
        {
            builder.Property(s => s.Result).HasColumnType("jsonb");
        }
    }
}
