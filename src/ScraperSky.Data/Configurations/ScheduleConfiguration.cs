using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class ScheduleConfiguration(bool isPostgres) : IEntityTypeConfiguration<Schedule>
{
    public void Configure(EntityTypeBuilder<Schedule> builder)
    {
        builder.ToTable("schedules");
        builder.Ignore(s => s.PublicId);
        builder.Property(s => s.State).HasConversion(EnumNames.Converter<ScheduleState>()).HasMaxLength(20);
        builder.Property(s => s.Every).HasMaxLength(50);
        builder.Property(s => s.Cron).HasMaxLength(200);
        builder.Property(s => s.TimeZone).HasMaxLength(100);
        builder.Property(s => s.LastError).HasMaxLength(500);
        // Runners look for due schedules every poll: only active rows, in due order.
        builder.HasIndex(s => s.NextRunAt).HasFilter("state = 'active'");
        builder.HasIndex(s => new { s.TenantId, s.Id });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        if (isPostgres)
        {
            builder.Property(s => s.Filter).HasColumnType("jsonb");
            builder.Property(s => s.Options).HasColumnType("jsonb");
        }
    }
}
