using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Webhooks;

/// The outbox's reading side: claims due deliveries with a lease and records each attempt. A delivery is due when it
/// is pending, its next attempt has come and no live lease holds it; a sender that died leaves a lease that expires,
/// and the row is sent again with the same body and `id`. Time comes from <see cref="TimeProvider"/> only.
public sealed class WebhookDeliveryQueue(
    IDbContextFactory<ScraperSkyDbContext> contexts, IOptions<WebhookOptions> options, TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string owner, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var now = Now;
        var expires = now + options.Value.LeaseDuration;
        var pending = EnumNames.ToWire(DeliveryStatus.Pending);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        List<Guid> ids;
        if (db.IsPostgres)
        {
            // SKIP LOCKED: two senders never wait on, nor both take, one row; the lease check is re-read under the lock.
            ids = await db.Database.SqlQuery<Guid>($"""
                UPDATE webhook_deliveries SET lease_owner = {owner}, lease_expires_at = {expires}, attempts = attempts + 1
                WHERE id IN (
                    SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE d.status = {pending} AND d.next_attempt_at <= {now}
                      AND (d.lease_expires_at IS NULL OR d.lease_expires_at < {now}) AND w.disabled_at IS NULL
                    ORDER BY d.next_attempt_at, d.id
                    LIMIT {limit}
                    FOR UPDATE OF d SKIP LOCKED)
                RETURNING id AS "Value"
                """).ToListAsync(cancellationToken);
        }
        else
        {
            // SQLite has one writer at a time: the conditional update takes rows only while they are still unleased.
            ids = await db.Database.SqlQuery<Guid>($"""
                UPDATE webhook_deliveries SET lease_owner = {owner}, lease_expires_at = {expires}, attempts = attempts + 1
                WHERE id IN (
                    SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE d.status = {pending} AND d.next_attempt_at <= {now}
                      AND (d.lease_expires_at IS NULL OR d.lease_expires_at < {now}) AND w.disabled_at IS NULL
                    ORDER BY d.next_attempt_at, d.id
                    LIMIT {limit})
                RETURNING id AS "Value"
                """).ToListAsync(cancellationToken);
        }

        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await (from d in db.WebhookDeliveries.AsNoTracking()
                          join w in db.Webhooks.AsNoTracking() on d.WebhookId equals w.Id
                          where ids.Contains(d.Id)
                          orderby d.NextAttemptAt, d.Id
                          select new { d.Id, d.WebhookId, w.Url, w.Secret, d.EventType, d.Body, d.Attempts, d.CreatedAt })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ClaimedDelivery(r.Id, r.WebhookId, r.Url, r.Secret, r.EventType, r.Body, r.Attempts, r.CreatedAt, owner))];
    }

    /// The receiver answered 2xx: the delivery is done and the webhook's run of failures ends.
    public async Task<bool> DeliveredAsync(ClaimedDelivery delivery, int statusCode, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ours = await Held(db, delivery).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, DeliveryStatus.Delivered)
            .SetProperty(d => d.DeliveredAt, now)
            .SetProperty(d => d.LastStatusCode, statusCode)
            .SetProperty(d => d.LastError, (string?)null)
            .SetProperty(d => d.LeaseOwner, (string?)null)
            .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        await db.Webhooks.Where(w => w.Id == delivery.WebhookId).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.ConsecutiveFailures, 0)
            .SetProperty(w => w.FailingSince, (DateTime?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ours == 1;
    }

    /// The attempt failed: retried after a growing delay while the event is younger than `Webhooks:RetryFor`, else
    /// failed for good. A webhook whose attempts all failed for `Webhooks:DisableAfter` is disabled.
    public async Task<DeliveryStatus> FailedAsync(
        ClaimedDelivery delivery, string error, int? statusCode, CancellationToken cancellationToken)
    {
        var now = Now;
        var settings = options.Value;
        error = error.Length > 300 ? error[..300] : error;
        var next = now + RetryDelay(settings, delivery.Attempts);
        var status = next - delivery.CreatedAt > settings.RetryFor ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ours = await Held(db, delivery).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LastStatusCode, statusCode)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.LeaseOwner, (string?)null)
            .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null), cancellationToken);
        if (ours == 0)
        {
            // Another sender took the row after our lease ran out; its attempt is the one that counts.
            return DeliveryStatus.Pending;
        }

        var webhook = db.Webhooks.Where(w => w.Id == delivery.WebhookId);
        await webhook.ExecuteUpdateAsync(s => s
            .SetProperty(w => w.ConsecutiveFailures, w => w.ConsecutiveFailures + 1)
            .SetProperty(w => w.FailingSince, w => w.FailingSince ?? now), cancellationToken);
        var cutoff = now - settings.DisableAfter;
        var days = settings.DisableAfter.TotalDays.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        var reason = $"Every delivery failed for {days} days ({error})";
        reason = reason.Length > 500 ? reason[..500] : reason;
        await webhook.Where(w => w.DisabledAt == null && w.FailingSince <= cutoff).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.DisabledAt, now)
            .SetProperty(w => w.DisabledReason, reason), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return status;
    }

    /// The delay after failed attempt number <paramref name="attempt"/>: the first delay doubled per attempt, capped.
    public static TimeSpan RetryDelay(WebhookOptions settings, int attempt)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var delay = settings.FirstRetryDelay * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return delay < settings.MaxRetryDelay ? delay : settings.MaxRetryDelay;
    }

    private static IQueryable<WebhookDelivery> Held(ScraperSkyDbContext db, ClaimedDelivery delivery)
    {
        var (id, owner, attempts) = (delivery.Id, delivery.Owner, delivery.Attempts);
        return db.WebhookDeliveries.Where(d => d.Id == id && d.LeaseOwner == owner && d.Attempts == attempts);
    }
}
