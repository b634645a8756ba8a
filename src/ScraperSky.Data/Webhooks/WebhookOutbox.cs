using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Webhooks;

/// Writes one delivery row per subscribed, enabled webhook of the tenant, inside the caller's transaction: the event
/// and its deliveries commit together or not at all, so a crash never loses one nor sends one for an event that
/// rolled back. Failed scans are `scan.completed` events too, with `status: failed`.
internal static class WebhookOutbox
{
    public static async Task ScanEndedAsync(
        ScraperSkyDbContext db, Guid tenantId, DomainScan scan, IReadOnlyList<DomainChange> changes, DateTime now,
        CancellationToken cancellationToken)
    {
        var subscribed = await SubscribedAsync(db, tenantId, cancellationToken);
        if (subscribed.Count == 0)
        {
            return;
        }

        var scanData = new ScanEndedData(
            scan.Id.ToString("N"),
            PublicIds.Format(Job.PublicPrefix, scan.JobId),
            scan.BatchId is { } batch ? PublicIds.Format(BatchJob.PublicPrefix, batch) : null,
            scan.Domain,
            EnumNames.ToWire(scan.Status),
            scan.Error,
            scan.ScannedAt);
        Enqueue(db, subscribed, tenantId, WebhookEvents.ScanCompleted, scanData, now);
        if (changes.Count > 0)
        {
            var changed = new DomainChangedData(scan.Domain, scan.Id.ToString("N"), [.. changes.Select(ChangeData.Of)]);
            Enqueue(db, subscribed, tenantId, WebhookEvents.DomainChanged, changed, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// Called where a batch's last job ends (its counters then add up to the total), with the batch row as the
    /// statement that counted the job returned it: nothing is read again.
    public static async Task BatchEndedAsync(ScraperSkyDbContext db, BatchJob batch, DateTime now, CancellationToken cancellationToken)
    {
        var subscribed = await SubscribedAsync(db, batch.TenantId, cancellationToken);
        if (subscribed.Count == 0)
        {
            return;
        }

        var data = new BatchEndedData(
            batch.PublicId, EnumNames.ToWire(batch.Status), batch.TotalJobs,
            batch.CompletedJobs, batch.FailedJobs, batch.CancelledJobs, batch.CompletedAt ?? now);
        Enqueue(db, subscribed, batch.TenantId, WebhookEvents.BatchCompleted, data, now);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// The tenant's enabled webhooks and their events. A raw read (see RawStatements.ReadAsync): every ended job asks,
    /// mostly to learn there are none, and EF Core's compiled query cost more CPU than the statement. Read once per
    /// tenant in a transaction: the completions stored together in one (`CompletionGroups`) use the first one's answer,
    /// as if they had all ended at its moment, which spares a round trip for each scan after the first.
    private static async Task<List<(Guid Id, List<string> Events)>> SubscribedAsync(
        ScraperSkyDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction;
        if (transaction is not null && db.SubscribedWebhooks is { } known && ReferenceEquals(known.Transaction, transaction)
            && known.ByTenant.TryGetValue(tenantId, out var webhooks))
        {
            return webhooks;
        }

        webhooks = await RawStatements.ReadAsync(db, $"SELECT id, events FROM webhooks WHERE tenant_id = {tenantId} AND disabled_at IS NULL",
            static row => (row.GetGuid(0), row.GetList(1)), cancellationToken);
        if (transaction is not null)
        {
            if (db.SubscribedWebhooks is not { } current || !ReferenceEquals(current.Transaction, transaction))
            {
                db.SubscribedWebhooks = current = (transaction, []);
            }

            current.ByTenant[tenantId] = webhooks;
        }

        return webhooks;
    }

    private static void Enqueue<T>(
        ScraperSkyDbContext db, List<(Guid Id, List<string> Events)> webhooks, Guid tenantId, string type, T data, DateTime now)
    {
        var eventId = Guid.CreateVersion7();
        string? body = null;
        foreach (var (webhookId, events) in webhooks)
        {
            if (!events.Contains(type, StringComparer.Ordinal))
            {
                continue;
            }

            body ??= JsonSerializer.Serialize(
                new WebhookEnvelope<T>(PublicIds.Format(WebhookEvents.EventPrefix, eventId), type, now, data), ScanJson.Options);
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = Guid.CreateVersion7(),
                WebhookId = webhookId,
                TenantId = tenantId,
                EventId = eventId,
                EventType = type,
                Body = body,
                Status = DeliveryStatus.Pending,
                CreatedAt = now,
                NextAttemptAt = now,
            });
        }
    }
}
