using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;

namespace ScraperSky.Data.Tests.Jobs;

/// The reads the status endpoints poll: what they read (as EF Core reads the same rows), whose rows they read, and the
/// plans that keep a page of a large batch from reading the whole batch.
public abstract class StatusReadsTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_page_of_a_large_batch_reads_the_batch_order_index_and_stops_after_the_page()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (batchId, _) = await SubmitAsync(database, Tenant.DefaultId, 3_000);
        await SubmitAsync(database, Tenant.DefaultId, 1_000);
        await database.CreateQueue().ClaimAsync("worker-1", 20, Ct);
        await using var db = database.CreateContext();
        await AnalyzeAsync(db);

        var page = await PlanAsync(db, StatusReads.BatchJobsSql(batchId, 100, 51));
        var counts = await PlanAsync(db, StatusReads.BatchCountsSql(db, [batchId]));

        // Without the (batch_id, id) index the batch's rows were found by the (batch_id, end_sequence) index and sorted:
        // every job of the batch read on every call.
        Assert.Contains("ix_jobs_batch_id_id", page, StringComparison.Ordinal);
        Assert.DoesNotContain(provider == DatabaseProvider.Sqlite ? "TEMP B-TREE" : "Sort", page, StringComparison.Ordinal);
        // The running jobs are counted from the status index, not from the batch's thousands of rows.
        Assert.Contains("ix_jobs_status_next_attempt_at", counts, StringComparison.Ordinal);
        Assert.DoesNotContain("ix_jobs_batch_id", counts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batchs_jobs_read_in_submission_order_page_by_page_with_whether_each_started()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (batchId, domains) = await SubmitAsync(database, Tenant.DefaultId, 30, invalidEvery: 7);
        var claimed = await database.CreateQueue().ClaimAsync("worker-1", 3, Ct);
        await using var db = database.CreateContext();

        var all = await StatusReads.BatchJobsAsync(db, batchId, 0, int.MaxValue, Ct);
        var pages = new List<BatchJobRow>();
        for (var skip = 0; skip < 40; skip += 8)
        {
            pages.AddRange(await StatusReads.BatchJobsAsync(db, batchId, skip, 8, Ct));
        }

        Assert.Equal(domains, all.Select(j => j.Domain));
        Assert.Equal(all, pages);
        var expected = await db.Jobs.AsNoTracking().Where(j => j.BatchId == batchId).OrderBy(j => j.Id)
            .Select(j => new BatchJobRow(j.Id, j.Domain, j.Status, j.Error, j.StartedAt != null)).ToListAsync(Ct);
        Assert.Equal(expected, all);
        Assert.Equal(claimed.Select(c => c.Id).Order(), all.Where(j => j.Started).Select(j => j.Id).Order());
        Assert.All(all.Where(j => j.Status == JobStatus.Failed), j => Assert.Equal($"Invalid domain format: {j.Domain}", j.Error));
        Assert.Empty(await StatusReads.BatchJobsAsync(db, Guid.CreateVersion7(), 0, 10, Ct));
    }

    [Fact]
    public async Task A_batch_and_a_job_are_read_as_EF_Core_reads_them_and_only_for_their_own_tenant()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var owner = await database.AddTenantAsync("owner");
        var stranger = await database.AddTenantAsync("stranger");
        var (batchId, _) = await SubmitAsync(database, owner, 3);
        var claim = (await database.CreateQueue().ClaimAsync("worker-1", 1, Ct))[0];
        await using var db = database.CreateContext();
        await db.BatchJobs.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.FileName, "list.csv").SetProperty(b => b.Columns, "[\"domain\"]")
            .SetProperty(b => b.DomainColumn, "domain").SetProperty(b => b.CancelledAt, database.Time.GetUtcNow().UtcDateTime.AddTicks(1234)), Ct);

        var batch = await StatusReads.BatchAsync(db, batchId, owner, Ct);
        var job = await StatusReads.JobAsync(db, claim.Id, owner, Ct);

        var stored = await database.BatchAsync(batchId);
        Assert.NotNull(batch);
        Assert.Equal(Fields(stored), Fields(batch));
        Assert.Equal(DateTimeKind.Utc, batch.CreatedAt.Kind);
        var storedJob = await database.JobAsync(claim.Id);
        Assert.Equal(
            new JobStatusRow(storedJob.Id, storedJob.TenantId, storedJob.Domain, storedJob.Status, storedJob.CreatedAt, storedJob.CompletedAt,
                storedJob.Error, storedJob.ProgressStep, storedJob.ProgressMessage),
            job);
        Assert.Equal(JobStatus.Running, job!.Status);
        // Another tenant's rows read as missing; no scope (local mode) reads any tenant's.
        Assert.Null(await StatusReads.BatchAsync(db, batchId, stranger, Ct));
        Assert.Null(await StatusReads.JobAsync(db, claim.Id, stranger, Ct));
        Assert.Equal(batchId, (await StatusReads.BatchAsync(db, batchId, null, Ct))?.Id);
        Assert.Equal(claim.Id, (await StatusReads.JobAsync(db, claim.Id, null, Ct))?.Id);
        Assert.Null(await StatusReads.BatchAsync(db, claim.Id, null, Ct));
        Assert.Null(await StatusReads.JobAsync(db, batchId, null, Ct));
    }

    [Fact]
    public async Task Counters_of_several_batches_count_their_running_jobs_and_leave_out_unknown_ids()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (first, _) = await SubmitAsync(database, Tenant.DefaultId, 5, invalidEvery: 3);
        database.Time.Advance(TimeSpan.FromSeconds(1));
        var (second, _) = await SubmitAsync(database, Tenant.DefaultId, 4);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 4, Ct);
        var done = claims.First(c => c.BatchId == first);
        Assert.True(await queue.CompleteAsync(done, new Scanning.SiteMetadata { Title = "done" }, null, Ct));
        await using var db = database.CreateContext();

        var counts = (await StatusReads.BatchCountsAsync(db, [first, second, Guid.CreateVersion7()], Ct)).ToDictionary(c => c.Id);

        Assert.Equal(new[] { first, second }.Order(), counts.Keys.Order());
        foreach (var count in counts.Values)
        {
            var stored = await database.BatchAsync(count.Id);
            var running = claims.Count(c => c.BatchId == count.Id && c != done);
            Assert.Equal(
                (stored.Status, stored.CreatedAt, stored.CompletedAt, stored.TotalJobs, stored.CompletedJobs, stored.FailedJobs, stored.CancelledJobs, running),
                (count.Status, count.CreatedAt, count.CompletedAt, count.TotalJobs, count.CompletedJobs, count.FailedJobs, count.CancelledJobs, count.RunningJobs));
            Assert.Equal(stored.TotalJobs - stored.CompletedJobs - stored.FailedJobs - running, count.PendingJobs);
        }

        Assert.Equal((5, 1, 1, 1), (counts[first].TotalJobs, counts[first].CompletedJobs, counts[first].FailedJobs, counts[first].RunningJobs));
        Assert.Empty(await StatusReads.BatchCountsAsync(db, [], Ct));
    }

    /// A batch submitted as the API submits it (ids in submission order); every <paramref name="invalidEvery"/>th entry is
    /// not a domain. Returns the jobs' domains (the entries as given) in submission order.
    private static async Task<(Guid BatchId, List<string> Domains)> SubmitAsync(
        TestDatabase database, Guid tenant, int count, int invalidEvery = 0)
    {
        var entries = Enumerable.Range(0, count)
            .Select(i => invalidEvery > 0 && i % invalidEvery == invalidEvery - 1 ? $"not a domain {i}" : $"site-{i}-{Guid.NewGuid():N}.test")
            .ToList();
        await using var scope = database.CreateScope();
        var submission = ActivatorUtilities.CreateInstance<JobSubmission>(scope.ServiceProvider, new JobQueueSignal());
        var submitted = await submission.SubmitBatchAsync(tenant, entries, new ScanJobOptions(), Ct);
        return (submitted.Batch.Id, entries);
    }

    private static (Guid, Guid, BatchStatus, int, int, int, int, long, string?, string?, string?, string?, DateTime, DateTime?, DateTime?, DateTime?) Fields(BatchJob b) =>
        (b.Id, b.TenantId, b.Status, b.TotalJobs, b.CompletedJobs, b.FailedJobs, b.CancelledJobs, b.EndSequence, b.Options, b.FileName,
            b.Columns, b.DomainColumn, b.CreatedAt, b.StartedAt, b.CompletedAt, b.CancelledAt);

    /// Fresh statistics, as a database that has run for a while has them (PostgreSQL's planner goes by them).
    private async Task AnalyzeAsync(ScraperSkyDbContext db) =>
        await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.Postgres ? "ANALYZE jobs" : "SELECT 1", Ct);

    /// The plan of <paramref name="sql"/> as run with its arguments, one line per step.
    private async Task<string> PlanAsync(ScraperSkyDbContext db, FormattableString sql)
    {
        var explain = FormattableStringFactory.Create(
            (provider == DatabaseProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql.Format, sql.GetArguments());
        var lines = await RawStatements.ReadAsync(db, explain, row => row.GetString(provider == DatabaseProvider.Sqlite ? 3 : 0), Ct);
        return string.Join("\n", lines);
    }
}

public sealed class SqliteStatusReadsTests() : StatusReadsTests(DatabaseProvider.Sqlite);

public sealed class PostgresStatusReadsTests() : StatusReadsTests(DatabaseProvider.Postgres);
