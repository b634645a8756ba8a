using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Configurations;

internal sealed class SitemapFileConfiguration : IEntityTypeConfiguration<SitemapFile>
{
    public void Configure(EntityTypeBuilder<SitemapFile> builder)
    {
        builder.ToTable("sitemap_files");
        builder.Property(f => f.Domain).HasMaxLength(253);
        builder.Property(f => f.Url).HasMaxLength(2048);
        builder.Property(f => f.Kind).HasConversion(EnumNames.Converter<SitemapKind>()).HasMaxLength(20);
        builder.Property(f => f.Discovery).HasConversion(EnumNames.Converter<SitemapDiscovery>()).HasMaxLength(20);
        builder.Property(f => f.Error).HasMaxLength(1000);
        builder.HasIndex(f => new { f.TenantId, f.Domain, f.CollectedAt });
        builder.HasIndex(f => f.ParentId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SitemapFile>().WithMany().HasForeignKey(f => f.ParentId).OnDelete(DeleteBehavior.SetNull);
    }
}
