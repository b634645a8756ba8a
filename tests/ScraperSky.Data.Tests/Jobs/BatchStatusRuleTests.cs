using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Tests.Jobs;

/// The batch status rule is written twice: in C# (`BatchJob.StatusFor`, for retries and reads) and in the SQL of the
/// UPDATE that counts an ended job (one statement, so no read before it). This holds the two equal on every case.
public abstract class BatchStatusRuleTests(DatabaseProvider provider)
{
    private const int Total = 3;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_status_a_completion_writes_is_the_one_BatchJob_StatusFor_gives_for_the_same_counters()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var queue = database.CreateQueue();
        var cases = (
            from completed in Enumerable.Range(0, Total)
            from failed in Enumerable.Range(0, Total)
            from cancelled in Enumerable.Range(0, Total)
            where completed + failed + cancelled < Total
            from cancelledAt in new DateTime?[] { null, database.Time.GetUtcNow().UtcDateTime }
            from ends in new[] { JobStatus.Completed, JobStatus.Failed }
            select (completed, failed, cancelled, cancelledAt, ends)).ToList();
        Assert.Equal(40, cases.Count);

        foreach (var (completed, failed, cancelled, cancelledAt, ends) in cases)
        {
            var (batchId, _) = await database.EnqueueBatchAsync(Enumerable.Range(0, Total).Select(i => $"site-{i}.test"));
            var claim = (await queue.ClaimAsync("worker-1", 100, Ct)).First(c => c.BatchId == batchId);
            await using (var db = database.CreateContext())
            {
                await db.BatchJobs.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
                    .SetProperty(b => b.CompletedJobs, completed)
                    .SetProperty(b => b.FailedJobs, failed)
                    .SetProperty(b => b.CancelledJobs, cancelled)
                    .SetProperty(b => b.CancelledAt, cancelledAt), Ct);
            }

            if (ends == JobStatus.Completed)
            {
                Assert.True(await queue.CompleteAsync(claim, new SiteMetadata { Title = "Shop" }, null, Ct));
            }
            else
            {
                await queue.FailAsync(claim, "unreachable", isTransient: false, Ct);
            }

            var batch = await database.BatchAsync(batchId);
            var expected = BatchJob.StatusFor(
                Total, completed + (ends == JobStatus.Completed ? 1 : 0), failed + (ends == JobStatus.Failed ? 1 : 0),
                cancelled, cancelledAt, anyStarted: true);
            Assert.True(expected == batch.Status,
                $"completed {completed}, failed {failed}, cancelled {cancelled}, cancelled_at {cancelledAt}, then {ends}: " +
                $"SQL wrote {batch.Status}, StatusFor gives {expected}");
        }
    }
}

public sealed class SqliteBatchStatusRuleTests() : BatchStatusRuleTests(DatabaseProvider.Sqlite);

public sealed class PostgresBatchStatusRuleTests() : BatchStatusRuleTests(DatabaseProvider.Postgres);
