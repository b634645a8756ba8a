using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Jobs;

/// The cap on one tenant's waiting jobs (<see cref="JobOptions.MaxQueuedPerTenant"/>), checked before a submission is
/// stored so that one key cannot fill the queue for everyone. Two submissions racing may pass it by one batch; the
/// cap bounds the queue, it is not a ledger.
public static class TenantQuota
{
    /// Throws <see cref="QueueLimitExceededException"/> when <paramref name="adding"/> more pending jobs would take
    /// the tenant past the cap.
    public static async Task EnsureRoomAsync(
        ScraperSkyDbContext db, JobOptions options, Guid tenantId, int adding, CancellationToken cancellationToken)
    {
        var limit = options.MaxQueuedPerTenant;
        if (limit == 0 || adding == 0)
        {
            return;
        }

        var queued = await db.Jobs.CountAsync(j => j.TenantId == tenantId && j.Status == JobStatus.Pending, cancellationToken);
        if (queued + adding > limit)
        {
            throw new QueueLimitExceededException(limit, queued, adding);
        }
    }
}
