using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Jobs;

namespace ScraperSky.Data.Tests.Jobs;

/// On PostgreSQL a worker's tick (progress, lease renewal) passes over the jobs whose completion a transaction holds
/// rather than waiting for it: a group's lease checks lock its jobs one after another, and a tick that had locked some
/// of them and waited for the rest deadlocked with it (a second's stall, then a failed group). SQLite has one writer at a
/// time, and nothing to pass over.
public sealed class PostgresTickTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Progress_and_lease_renewal_pass_over_a_job_whose_completion_holds_its_row()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await database.EnqueueBatchAsync(["held.test", "free.test"]);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 2, Ct);
        var (held, free) = (claims.Single(c => c.Domain == "held.test"), claims.Single(c => c.Domain == "free.test"));
        var leased = (await database.JobAsync(held.Id)).LeaseExpiresAt;
        database.Time.Advance(TimeSpan.FromSeconds(5));

        await using (var completion = database.CreateContext())
        {
            // The row as a completion's lease check leaves it until its commit.
            await using var transaction = await completion.Database.BeginTransactionAsync(Ct);
            await completion.Database.ExecuteSqlAsync($"UPDATE jobs SET progress_message = 'storing' WHERE id = {held.Id}", Ct);

            // Waiting for the held row would be waiting for this transaction, which ends only after them.
            var written = await queue.ReportProgressAsync(
                [new JobProgress(held, "fetching", "Reading held.test"), new JobProgress(free, "fetching", "Reading free.test")], Ct)
                .WaitAsync(TimeSpan.FromMinutes(1), Ct);
            var lost = await queue.RenewLeasesAsync("worker-1", claims, Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);

            Assert.Equal(1, written);
            Assert.Empty(lost);
            await transaction.CommitAsync(Ct);
        }

        var (heldJob, freeJob) = (await database.JobAsync(held.Id), await database.JobAsync(free.Id));
        Assert.Equal(("storing", leased), (heldJob.ProgressMessage, heldJob.LeaseExpiresAt));
        Assert.Equal("Reading free.test", freeJob.ProgressMessage);
        Assert.True(freeJob.LeaseExpiresAt > leased, $"{freeJob.LeaseExpiresAt} after {leased}");
    }
}
