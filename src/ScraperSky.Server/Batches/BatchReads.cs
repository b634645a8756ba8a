using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Entities;

namespace ScraperSky.Server.Batches;

/// Reading batches' counters: the ended ones from the batch rows (kept in the transaction that ends each job),
/// pending and running counted from the job rows.
internal static class BatchReads
{
    public static async Task<Dictionary<Guid, BatchCounters>> CountersAsync(
        ScraperSkyDbContext db, IReadOnlyCollection<Guid> batchIds, CancellationToken cancellationToken)
    {
        var batches = await db.BatchJobs.AsNoTracking().Where(b => batchIds.Contains(b.Id))
            .Select(b => new
            {
                b.Id, b.Status, b.CreatedAt, b.CompletedAt, b.TotalJobs, b.CompletedJobs, b.FailedJobs, b.CancelledJobs,
                b.FileName,
            })
            .ToListAsync(cancellationToken);
        var waiting = await db.Jobs.AsNoTracking()
            .Where(j => j.BatchId != null && batchIds.Contains(j.BatchId.Value)
                        && (j.Status == JobStatus.Pending || j.Status == JobStatus.Running))
            .GroupBy(j => new { j.BatchId, j.Status })
            .Select(g => new { g.Key.BatchId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return batches.ToDictionary(b => b.Id, b =>
        {
            int Count(JobStatus status) => waiting.Where(w => w.BatchId == b.Id && w.Status == status).Sum(w => w.Count);
            var publicId = PublicIds.Format(BatchJob.PublicPrefix, b.Id);
            return new BatchCounters(
                publicId, EnumNames.ToWire(b.Status), b.CreatedAt, b.CompletedAt, b.TotalJobs, b.CompletedJobs,
                b.FailedJobs, b.CancelledJobs, Count(JobStatus.Pending), Count(JobStatus.Running), b.FileName,
                BatchEndpoints.StatusUrl(publicId));
        });
    }

    public static async Task<BatchCounters?> CountersAsync(ScraperSkyDbContext db, Guid batchId, CancellationToken cancellationToken) =>
        (await CountersAsync(db, [batchId], cancellationToken)).GetValueOrDefault(batchId);

    public static bool HasEnded(BatchCounters counters) =>
        counters.CompletedJobs + counters.FailedJobs + counters.CancelledJobs >= counters.TotalJobs;
}
