using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class SitemapUrlConfiguration : IEntityTypeConfiguration<SitemapUrl>
{
    public void Configure(EntityTypeBuilder<SitemapUrl> builder)
    {
        builder.ToTable("sitemap_urls");
        builder.Property(u => u.Domain).HasMaxLength(253);
        builder.Property(u => u.Loc).HasMaxLength(2048);
        builder.Property(u => u.ChangeFreq).HasMaxLength(10);
        // The upsert key of the bulk writer and the order of the URL listing (paged by loc): one index for both, as
        // every index more slows the bulk write. The file index keeps cascading deletes of a rescan cheap.
        builder.HasIndex(u => new { u.TenantId, u.Domain, u.Loc }).IsUnique();
        builder.HasIndex(u => u.FileId);
        builder.HasOne<SitemapFile>().WithMany().HasForeignKey(u => u.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}
