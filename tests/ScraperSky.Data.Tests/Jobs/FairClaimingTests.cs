using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;

namespace ScraperSky.Data.Tests.Jobs;

public abstract class FairClaimingTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<TestDatabase> CreateDatabaseAsync(Action<JobOptions>? configure = null) =>
        TestDatabase.CreateAsync(provider, configure);

    [Fact]
    public async Task Another_tenants_single_scan_is_claimed_before_the_ten_thousand_jobs_queued_ahead_of_it()
    {
        await using var database = await CreateDatabaseAsync();
        var busy = await database.AddTenantAsync("busy");
        var quiet = await database.AddTenantAsync("quiet");
        await database.EnqueueBatchAsync(Enumerable.Range(0, 10_000).Select(i => $"site-{i}.test"), busy);
        database.Time.Advance(TimeSpan.FromSeconds(1));
        var single = await database.EnqueueAsync("single.test", quiet);
        var queue = database.CreateQueue();

        // A worker with one free slot claims one job at a time: the busy tenant's oldest job, then the quiet
        // tenant's, because the busy tenant now has a scan running and the quiet one none.
        var first = Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));
        var second = Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));

        Assert.Equal(busy, first.TenantId);
        Assert.Equal(single, second.Id);
    }

    [Fact]
    public async Task One_claim_of_many_jobs_includes_every_waiting_tenants_first_job()
    {
        await using var database = await CreateDatabaseAsync();
        var busy = await database.AddTenantAsync("busy");
        var quiet = await database.AddTenantAsync("quiet");
        await database.EnqueueBatchAsync(Enumerable.Range(0, 200).Select(i => $"site-{i}.test"), busy);
        database.Time.Advance(TimeSpan.FromSeconds(1));
        var single = await database.EnqueueAsync("single.test", quiet);

        var claimed = await database.CreateQueue().ClaimAsync("worker-1", 4, Ct);

        Assert.Equal(4, claimed.Count);
        Assert.Contains(single, claimed.Select(c => c.Id));
        Assert.Equal(3, claimed.Count(c => c.TenantId == busy));
    }

    [Fact]
    public async Task A_tenants_batches_and_single_scans_take_turns()
    {
        await using var database = await CreateDatabaseAsync();
        var (first, firstIds) = await database.EnqueueBatchAsync(Enumerable.Range(0, 50).Select(i => $"first-{i}.test"));
        database.Time.Advance(TimeSpan.FromSeconds(1));
        var (second, secondIds) = await database.EnqueueBatchAsync(Enumerable.Range(0, 50).Select(i => $"second-{i}.test"));
        // Jobs due at the same moment go in id order, which is submission order for a real batch.
        var (firstJobs, secondJobs) = (firstIds.Order().ToList(), secondIds.Order().ToList());
        database.Time.Advance(TimeSpan.FromSeconds(1));
        var single = await database.EnqueueAsync("single.test");
        var queue = database.CreateQueue();

        var together = await queue.ClaimAsync("worker-1", 3, Ct);
        var oneByOne = new List<ClaimedJob>();
        for (var i = 0; i < 4; i++)
        {
            oneByOne.Add(Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct)));
        }

        Assert.Equal(
            [firstJobs[0], secondJobs[0], single],
            together.Select(c => c.Id).Order());
        // Each batch now runs one scan and the single scans none left waiting: the batches alternate, each in the
        // order its jobs were submitted.
        Assert.Equal([first, second, first, second], oneByOne.Select(c => c.BatchId!.Value));
        Assert.Equal([firstJobs[1], secondJobs[1], firstJobs[2], secondJobs[2]], oneByOne.Select(c => c.Id));
    }

    [Fact]
    public async Task The_running_cap_per_tenant_holds_with_two_claimers_at_once()
    {
        await using var database = await CreateDatabaseAsync(o => o.MaxRunningPerTenant = 3);
        var busy = await database.AddTenantAsync("busy");
        var other = await database.AddTenantAsync("other");
        await database.EnqueueBatchAsync(Enumerable.Range(0, 100).Select(i => $"busy-{i}.test"), busy);
        await database.EnqueueBatchAsync(Enumerable.Range(0, 100).Select(i => $"other-{i}.test"), other);

        var claimers = Enumerable.Range(0, 2).Select(n => Task.Run(async () =>
        {
            var queue = database.CreateQueue();
            var claimed = new List<ClaimedJob>();
            for (var round = 0; round < 10; round++)
            {
                claimed.AddRange(await queue.ClaimAsync($"worker-{n}", 2, Ct));
            }

            return claimed;
        }, Ct)).ToList();
        var claims = (await Task.WhenAll(claimers)).SelectMany(c => c).ToList();

        Assert.Equal(3, claims.Count(c => c.TenantId == busy));
        Assert.Equal(3, claims.Count(c => c.TenantId == other));
        Assert.Equal(6, await RunningAsync(database));

        // A finished scan frees its tenant's slot for the next claim, and only that one.
        var queue = database.CreateQueue();
        Assert.True(await queue.CompleteAsync(claims.First(c => c.TenantId == busy), new Scanning.SiteMetadata(), null, Ct));
        var next = Assert.Single(await queue.ClaimAsync("worker-0", 5, Ct));
        Assert.Equal(busy, next.TenantId);
    }

    [Fact]
    public async Task A_job_whose_lease_expired_does_not_count_against_the_running_cap()
    {
        await using var database = await CreateDatabaseAsync(o =>
        {
            o.MaxRunningPerTenant = 1;
            o.LeaseDuration = TimeSpan.FromSeconds(10);
        });
        var (_, jobs) = await database.EnqueueBatchAsync(["crashed.test", "waiting.test"]);
        var queue = database.CreateQueue();
        Assert.Equal(jobs.Min(), Assert.Single(await queue.ClaimAsync("dead-worker", 5, Ct)).Id);
        Assert.Empty(await queue.ClaimAsync("worker-2", 5, Ct));

        database.Time.Advance(TimeSpan.FromSeconds(11));

        Assert.Single(await queue.ClaimAsync("worker-2", 5, Ct));
    }

    [Fact]
    public async Task A_submission_past_the_queued_cap_is_refused_with_the_limit_and_the_count()
    {
        await using var database = await CreateDatabaseAsync(o => o.MaxQueuedPerTenant = 5);
        var full = await database.AddTenantAsync("full");
        var other = await database.AddTenantAsync("other");
        await using var scope = database.CreateScope();
        var submission = ActivatorUtilities.CreateInstance<JobSubmission>(scope.ServiceProvider, new JobQueueSignal());
        var options = new ScanJobOptions();

        // Invalid entries and duplicates never wait, so they do not count.
        await submission.SubmitBatchAsync(full, ["a.test", "b.test", "b.test", "not a domain", "c.test", "d.test"], options, Ct);
        await submission.SubmitScanAsync(full, "e.test", options, Ct);
        var single = await Assert.ThrowsAsync<QueueLimitExceededException>(
            () => submission.SubmitScanAsync(full, "f.test", options, Ct));
        var batch = await Assert.ThrowsAsync<QueueLimitExceededException>(
            () => submission.SubmitBatchAsync(full, ["g.test"], options, Ct));

        Assert.Contains("at most 5", single.Message, StringComparison.Ordinal);
        Assert.Contains("5 are queued", single.Message, StringComparison.Ordinal);
        Assert.Equal((5, 5, 1), (batch.Limit, batch.Queued, batch.Adding));
        await using (var db = database.CreateContext())
        {
            Assert.Equal(5, await db.Jobs.CountAsync(j => j.TenantId == full && j.Status == JobStatus.Pending, Ct));
            Assert.Equal(1, await db.BatchJobs.CountAsync(b => b.TenantId == full, Ct));
        }

        // The cap is per tenant, and a job that started no longer waits.
        await submission.SubmitScanAsync(other, "a.test", options, Ct);
        Assert.Equal(2, (await database.CreateQueue().ClaimAsync("worker-1", 2, Ct)).Count);
        await submission.SubmitScanAsync(full, "f.test", options, Ct);
    }

    private static async Task<int> RunningAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.Jobs.CountAsync(j => j.Status == JobStatus.Running, Ct);
    }
}

public sealed class SqliteFairClaimingTests() : FairClaimingTests(DatabaseProvider.Sqlite);

public sealed class PostgresFairClaimingTests() : FairClaimingTests(DatabaseProvider.Postgres);
