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
    /// tenant in a transaction (<see cref="SubscribedReads"/>): the completions stored together in one
    /// (`CompletionGroups`) use one answer, as if they had all ended at its moment.
    private static async Task<List<(Guid Id, List<string> Events)>> SubscribedAsync(
        ScraperSkyDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        if (Known(db, tenantId) is { } known)
        {
            return known;
        }

        var webhooks = new List<(Guid Id, List<string> Events)>();
        await RawStatements.ReadEachAsync(db, [Read(tenantId, webhooks)], cancellationToken);
        Remember(db, tenantId, webhooks);
        return webhooks;
    }

    /// The reads of the webhooks of <paramref name="tenantIds"/> not yet known in the context's transaction, for the
    /// caller to make with its own (one round trip on PostgreSQL); what they read is kept for the transaction, so the
    /// scans' and batches' events that follow read nothing.
    public static IEnumerable<RawRead> SubscribedReads(ScraperSkyDbContext db, IEnumerable<Guid> tenantIds)
    {
        if (db.Database.CurrentTransaction is null)
        {
            return [];
        }

        var reads = new List<RawRead>(1);
        foreach (var tenantId in tenantIds)
        {
            if (Known(db, tenantId) is null)
            {
                var webhooks = new List<(Guid Id, List<string> Events)>();
                Remember(db, tenantId, webhooks);
                reads.Add(Read(tenantId, webhooks));
            }
        }

        return reads;
    }

    private static RawRead Read(Guid tenantId, List<(Guid Id, List<string> Events)> webhooks) => new(
        $"SELECT id, events FROM webhooks WHERE tenant_id = {tenantId} AND disabled_at IS NULL",
        row => webhooks.Add((row.GetGuid(0), row.GetList(1))));

    private static List<(Guid Id, List<string> Events)>? Known(ScraperSkyDbContext db, Guid tenantId) =>
        db.Database.CurrentTransaction is { } transaction && db.SubscribedWebhooks is { } known
        && ReferenceEquals(known.Transaction, transaction) && known.ByTenant.TryGetValue(tenantId, out var webhooks)
            ? webhooks
            : null;

    // Kept for the context's transaction, if it has one; keyed by it, so a new transaction on the context reads again.
    private static void Remember(ScraperSkyDbContext db, Guid tenantId, List<(Guid Id, List<string> Events)> webhooks)
    {
        if (db.Database.CurrentTransaction is not { } transaction)
        {
            return;
        }

        if (db.SubscribedWebhooks is not { } current || !ReferenceEquals(current.Transaction, transaction))
        {
            db.SubscribedWebhooks = current = (transaction, []);
        }

        current.ByTenant[tenantId] = webhooks;
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
