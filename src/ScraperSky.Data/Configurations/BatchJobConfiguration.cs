using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class BatchJobConfiguration(bool isPostgres) : IEntityTypeConfiguration<BatchJob>
{
    public void Configure(EntityTypeBuilder<BatchJob> builder)
    {
        builder.ToTable("batch_jobs");
        builder.Ignore(b => b.PublicId);
        builder.Property(b => b.Status).HasConversion(EnumNames.Converter<BatchStatus>()).HasMaxLength(20);
        builder.Property(b => b.FileName).HasMaxLength(255);
        builder.Property(b => b.DomainColumn).HasMaxLength(255);
        builder.HasIndex(b => new { b.TenantId, b.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(b => b.TenantId).OnDelete(DeleteBehavior.Cascade);
        if (isPostgres)
        {
            builder.Property(b => b.Options).HasColumnType("jsonb");
            builder.Property(b => b.Columns).HasColumnType("jsonb");
        }
    }
}
