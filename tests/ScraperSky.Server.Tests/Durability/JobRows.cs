using ScraperSky.Data;
using ScraperSky.Data.Entities;

namespace ScraperSky.Server.Tests.Durability;

/// Batch and job rows written the way batch submission writes them: one pending job per domain, due at once.
internal static class JobRows
{
    public static async Task<Guid> AddBatchAsync(ScraperSkyDbContext db, IReadOnlyCollection<string> domains, int maxAttempts, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var batch = new BatchJob
        {
            Id = Guid.CreateVersion7(),
            TenantId = Tenant.DefaultId,
            Status = BatchStatus.Pending,
            TotalJobs = domains.Count,
            CreatedAt = now,
        };
        batch.Jobs.AddRange(domains.Select(domain => new Job
        {
            Id = Guid.CreateVersion7(),
            TenantId = Tenant.DefaultId,
            Type = JobTypes.DomainScan,
            Domain = domain,
            Status = JobStatus.Pending,
            MaxAttempts = maxAttempts,
            NextAttemptAt = now,
            CreatedAt = now,
        }));
        db.BatchJobs.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        return batch.Id;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
            }
        }
    }
}
