using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration(bool isPostgres) : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(d => d.EventType).HasMaxLength(40);
        builder.Property(d => d.Status).HasConversion(EnumNames.Converter<DeliveryStatus>()).HasMaxLength(20);
        builder.Property(d => d.LeaseOwner).HasMaxLength(200);
        // Due deliveries for the sender; a webhook's deliveries newest first.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.WebhookId, d.CreatedAt });
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        if (isPostgres)
        {
            // text, not jsonb: jsonb would reorder keys and drop whitespace, and the signature covers the exact bytes.
            builder.Property(d => d.Body).HasColumnType("text");
        }
    }
}
