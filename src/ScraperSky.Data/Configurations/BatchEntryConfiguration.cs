using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class BatchEntryConfiguration : IEntityTypeConfiguration<BatchEntry>
{
    public void Configure(EntityTypeBuilder<BatchEntry> builder)
    {
        builder.ToTable("batch_entries");
        builder.Property(e => e.Input).HasMaxLength(2048);
        builder.HasIndex(e => new { e.BatchId, e.Row }).IsUnique();
        builder.HasOne<BatchJob>().WithMany().HasForeignKey(e => e.BatchId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Job>().WithMany().HasForeignKey(e => e.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
