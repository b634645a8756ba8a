using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Changes;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Sitemaps;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Tests.Jobs;

public abstract class JobQueueTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<TestDatabase> CreateDatabaseAsync(Action<JobOptions>? configure = null) =>
        TestDatabase.CreateAsync(provider, configure);

    private static SiteMetadata Metadata(string title) => new()
    {
        Title = title,
        Description = "About " + title,
        Language = "en",
        IsWordpress = true,
        WordpressVersion = "6.5.2",
        ContactInfo = new ContactInfo { Email = ["info@shop.test", "sales@shop.test"], Phone = ["+1 212-555-0100"] },
        SocialLinks = new SocialLinks { Facebook = "https://facebook.com/shop" },
        TechStack = new TechStack { Cms = ["WordPress"], Analytics = ["Google Analytics"] },
        Technologies =
        [
            new DetectedTechnology("Google Analytics", ["Analytics"], null, 100),
            new DetectedTechnology("WordPress", ["CMS", "Blogs"], "6.5.2", 100),
        ],
    };

    [Fact]
    public async Task Claiming_leases_due_jobs_to_the_worker_and_counts_the_attempt()
    {
        await using var database = await CreateDatabaseAsync(o => o.LeaseDuration = TimeSpan.FromSeconds(30));
        var (batchId, jobIds) = await database.EnqueueBatchAsync(["a.test", "b.test", "c.test"]);
        var now = database.Time.GetUtcNow().UtcDateTime;

        var claimed = await database.CreateQueue().ClaimAsync("worker-1", 2, Ct);

        Assert.Equal(2, claimed.Count);
        Assert.All(claimed, c => Assert.Equal(1, c.Attempts));
        foreach (var claim in claimed)
        {
            var job = await database.JobAsync(claim.Id);
            Assert.Equal(JobStatus.Running, job.Status);
            Assert.Equal("worker-1", job.LeaseOwner);
            Assert.Equal(now.AddSeconds(30), job.LeaseExpiresAt);
            Assert.Equal(now, job.StartedAt);
            Assert.Equal(ScanSteps.Starting, job.ProgressStep);
        }

        var left = jobIds.Except(claimed.Select(c => c.Id)).Single();
        Assert.Equal(JobStatus.Pending, (await database.JobAsync(left)).Status);
        var batch = await database.BatchAsync(batchId);
        Assert.Equal(BatchStatus.InProgress, batch.Status);
        Assert.Equal(now, batch.StartedAt);
    }

    [Fact]
    public async Task Jobs_whose_next_attempt_is_not_due_are_not_claimed()
    {
        await using var database = await CreateDatabaseAsync();
        var id = await database.EnqueueAsync("later.test");
        await using (var db = database.CreateContext())
        {
            var due = database.Time.GetUtcNow().UtcDateTime.AddMinutes(5);
            await db.Jobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.NextAttemptAt, due), Ct);
        }

        var queue = database.CreateQueue();
        Assert.Empty(await queue.ClaimAsync("worker-1", 10, Ct));
        database.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([id], (await queue.ClaimAsync("worker-1", 10, Ct)).Select(c => c.Id));
    }

    [Fact]
    public async Task A_job_whose_lease_expired_is_claimed_again_and_the_first_worker_can_no_longer_complete_it()
    {
        await using var database = await CreateDatabaseAsync(o => o.LeaseDuration = TimeSpan.FromSeconds(10));
        var (batchId, _) = await database.EnqueueBatchAsync(["crashed.test"]);
        var queue = database.CreateQueue();
        var first = Assert.Single(await queue.ClaimAsync("dead-worker", 5, Ct));

        Assert.Empty(await queue.ClaimAsync("worker-2", 5, Ct));
        database.Time.Advance(TimeSpan.FromSeconds(11));
        var second = Assert.Single(await queue.ClaimAsync("worker-2", 5, Ct));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        Assert.False(await queue.CompleteAsync(first, Metadata("Stale"), null, Ct));
        Assert.Equal([first], await queue.RenewLeasesAsync(first.Owner, [first], Ct));
        Assert.Equal(FailureOutcome.LeaseLost, await queue.FailAsync(first, "stale failure", isTransient: false, Ct));
        Assert.True(await queue.CompleteAsync(second, Metadata("Fresh"), null, Ct));

        await using var db = database.CreateContext();
        var domain = await db.Domains.SingleAsync(Ct);
        Assert.Equal(("Fresh", 1), (domain.Title, domain.ScanCount));
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((1, 0, BatchStatus.Completed), (batch.CompletedJobs, batch.FailedJobs, batch.Status));
    }

    [Fact]
    public async Task A_renewed_lease_keeps_the_job_with_its_worker()
    {
        await using var database = await CreateDatabaseAsync(o => o.LeaseDuration = TimeSpan.FromSeconds(10));
        await database.EnqueueAsync("long.test");
        var queue = database.CreateQueue();
        var claim = Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));

        for (var i = 0; i < 4; i++)
        {
            database.Time.Advance(TimeSpan.FromSeconds(6));
            Assert.Empty(await queue.RenewLeasesAsync(claim.Owner, [claim], Ct));
            Assert.Empty(await queue.ClaimAsync("worker-2", 1, Ct));
        }

        database.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Single(await queue.ClaimAsync("worker-2", 1, Ct));
    }

    [Fact]
    public async Task Many_concurrent_claimers_never_receive_the_same_job()
    {
        await using var database = await CreateDatabaseAsync();
        var (_, jobIds) = await database.EnqueueBatchAsync(Enumerable.Range(0, 300).Select(i => $"site-{i}.test"));
        var claims = new ConcurrentBag<(string Owner, Guid Id)>();

        // Every claimer waits, after its first claim, until all have made theirs: SQLite's calls complete
        // synchronously, so without the gate one claimer on a fast machine could take all 300 jobs before the others
        // started, and the race this test is about would not be run. After the gate they all race to the end.
        var waiting = 12;
        var allClaimedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claimers = Enumerable.Range(0, 12).Select(n => Task.Run(async () =>
        {
            var queue = database.CreateQueue();
            var owner = $"worker-{n}";
            for (var round = 0; ; round++)
            {
                var claimed = await queue.ClaimAsync(owner, 7, Ct);
                foreach (var claim in claimed)
                {
                    claims.Add((owner, claim.Id));
                }

                if (round == 0)
                {
                    if (Interlocked.Decrement(ref waiting) == 0)
                    {
                        allClaimedOnce.SetResult();
                    }

                    await allClaimedOnce.Task.WaitAsync(Ct);
                }

                if (claimed.Count == 0)
                {
                    return;
                }
            }
        }, Ct)).ToList();
        await Task.WhenAll(claimers);

        Assert.Equal(jobIds.Order(), claims.Select(c => c.Id).Order());
        Assert.Equal(12, claims.Select(c => c.Owner).Distinct().Count());
        await using var db = database.CreateContext();
        var rows = await db.Jobs.AsNoTracking().Select(j => new { j.Id, j.LeaseOwner, j.Attempts, j.Status }).ToListAsync(Ct);
        var owners = claims.ToDictionary(c => c.Id, c => c.Owner);
        Assert.All(rows, r =>
        {
            Assert.Equal(JobStatus.Running, r.Status);
            Assert.Equal(1, r.Attempts);
            Assert.Equal(owners[r.Id], r.LeaseOwner);
        });
    }

    [Fact]
    public async Task Completion_stores_the_domain_row_the_result_and_the_batch_counters()
    {
        await using var database = await CreateDatabaseAsync();
        var (batchId, _) = await database.EnqueueBatchAsync(["shop.test", "other.test"]);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 2, Ct);
        var shop = claims.Single(c => c.Domain == "shop.test");
        database.Time.Advance(TimeSpan.FromSeconds(3));
        var now = database.Time.GetUtcNow().UtcDateTime;

        Assert.True(await queue.CompleteAsync(shop, Metadata("Shop"), null, Ct));

        var job = await database.JobAsync(shop.Id);
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(now, job.CompletedAt);
        Assert.Equal((ScanSteps.Completed, JobQueue.CompletedMessage), (job.ProgressStep, job.ProgressMessage));
        Assert.Null(job.LeaseOwner);
        await using var db = database.CreateContext();
        var scan = await db.DomainScans.AsNoTracking().SingleAsync(Ct);
        Assert.Equal((Tenant.DefaultId, "shop.test", shop.Id, (Guid?)batchId, JobStatus.Completed, now),
            (scan.TenantId, scan.Domain, scan.JobId, scan.BatchId, scan.Status, scan.ScannedAt));
        using (var result = JsonDocument.Parse(scan.Result!))
        {
            Assert.Equal("Shop", result.RootElement.GetProperty("title").GetString());
            Assert.Equal("6.5.2", result.RootElement.GetProperty("wordpress_version").GetString());
            Assert.Equal("+1 212-555-0100", result.RootElement.GetProperty("contact_info").GetProperty("phone")[0].GetString());
        }

        var domain = await db.Domains.AsNoTracking().SingleAsync(Ct);
        Assert.Equal((Tenant.DefaultId, "shop.test", "Shop", "About Shop", "en"), (domain.TenantId, domain.Name, domain.Title, domain.Description, domain.Language));
        Assert.True(domain.IsWordpress);
        Assert.Equal("6.5.2", domain.WordpressVersion);
        Assert.Equal(["info@shop.test", "sales@shop.test"], domain.Emails);
        Assert.Equal(["+1 212-555-0100"], domain.Phones);
        Assert.Equal("https://facebook.com/shop", domain.FacebookUrl);
        Assert.Null(domain.YoutubeUrl);
        Assert.Equal((now, now, now, 1), (domain.FirstScanAt, domain.LastScanAt, domain.LastCompletedAt, domain.ScanCount));
        Assert.Equal((JobStatus.Completed, (string?)null, (Guid?)shop.Id, (Guid?)scan.Id), (domain.LastStatus, domain.LastError, domain.LastJobId, domain.LastScanId));
        Assert.Contains("WordPress", domain.TechnologyNames);
        Assert.Contains("WordPress 6.5.2", domain.Technologies);

        var batch = await database.BatchAsync(batchId);
        Assert.Equal((1, 0, BatchStatus.InProgress, (DateTime?)null), (batch.CompletedJobs, batch.FailedJobs, batch.Status, batch.CompletedAt));

        Assert.True(await queue.CompleteAsync(claims.Single(c => c.Domain == "other.test"), Metadata("Other"), null, Ct));
        batch = await database.BatchAsync(batchId);
        Assert.Equal((2, 0, BatchStatus.Completed, (DateTime?)now), (batch.CompletedJobs, batch.FailedJobs, batch.Status, batch.CompletedAt));
    }

    [Fact]
    public async Task Completions_stored_together_are_each_stored_once_and_one_whose_lease_was_lost_writes_nothing()
    {
        await using var database = await CreateDatabaseAsync();
        var (batchId, _) = await database.EnqueueBatchAsync(["a.test", "b.test", "c.test"]);
        var queue = database.CreateQueue();
        var claims = (await queue.ClaimAsync("worker-1", 3, Ct)).OrderBy(c => c.Domain, StringComparer.Ordinal).ToList();
        Assert.True(await queue.CompleteAsync(claims[1], Metadata("B"), null, Ct));

        var stored = await queue.CompleteAsync([.. claims.Select(c => new JobCompletion(c, Metadata(c.Domain), null))], Ct);

        Assert.Equal([true, false, true], stored);
        await using var db = database.CreateContext();
        var domains = await db.Domains.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Name, d.Title, d.ScanCount }).ToListAsync(Ct);
        Assert.Equal([("a.test", "a.test", 1), ("b.test", "B", 1), ("c.test", "c.test", 1)], domains.Select(d => (d.Name, d.Title, d.ScanCount)));
        Assert.Equal(3, await db.DomainScans.CountAsync(Ct));
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((3, 3L, BatchStatus.Completed), (batch.CompletedJobs, batch.EndSequence, batch.Status));
    }

    [Fact]
    public async Task A_group_with_a_domain_twice_compares_the_second_scan_with_the_first_and_numbers_each_batch_in_order()
    {
        await using var database = await CreateDatabaseAsync();
        var (first, _) = await database.EnqueueBatchAsync(["same.test", "other.test"]);
        var (second, _) = await database.EnqueueBatchAsync(["same.test"]);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 3, Ct);
        var older = claims.Single(c => c.Domain == "same.test" && c.BatchId == first);
        var newer = claims.Single(c => c.Domain == "same.test" && c.BatchId == second);
        var other = claims.Single(c => c.Domain == "other.test");

        // Batch order in the group: the second batch's job between the first batch's two.
        var stored = await queue.CompleteAsync(
            [new JobCompletion(older, Metadata("Old shop"), null), new JobCompletion(newer, Metadata("New shop"), null),
             new JobCompletion(other, Metadata("Other"), null)], Ct);

        Assert.Equal([true, true, true], stored);
        await using var db = database.CreateContext();
        var domain = await db.Domains.AsNoTracking().SingleAsync(d => d.Name == "same.test", Ct);
        Assert.Equal(("New shop", 2), (domain.Title, domain.ScanCount));
        var scans = await db.DomainScans.AsNoTracking().Where(s => s.Domain == "same.test").ToListAsync(Ct);
        var (olderScan, newerScan) = (scans.Single(s => s.JobId == older.Id), scans.Single(s => s.JobId == newer.Id));
        Assert.Equal(newerScan.Id, domain.LastScanId);
        var changes = await db.DomainChanges.AsNoTracking().Where(c => c.Domain == "same.test").ToListAsync(Ct);
        Assert.Equal(["description", "title"], changes.Select(c => c.Field).Order(StringComparer.Ordinal));
        var change = changes.Single(c => c.Field == "title");
        Assert.Equal((ChangeTypes.TitleChanged, "Old shop", "New shop", newerScan.Id, (Guid?)olderScan.Id),
            (change.Type, change.From, change.To, change.ScanId, change.PreviousScanId));
        Assert.Empty(await db.DomainChanges.Where(c => c.Domain == "other.test").ToListAsync(Ct));

        Assert.Equal(((long?)1, (long?)2, (long?)1), ((await database.JobAsync(older.Id)).EndSequence,
            (await database.JobAsync(other.Id)).EndSequence, (await database.JobAsync(newer.Id)).EndSequence));
        var (firstBatch, secondBatch) = (await database.BatchAsync(first), await database.BatchAsync(second));
        Assert.Equal((2, 2L, BatchStatus.Completed), (firstBatch.CompletedJobs, firstBatch.EndSequence, firstBatch.Status));
        Assert.Equal((1, 1L, BatchStatus.Completed), (secondBatch.CompletedJobs, secondBatch.EndSequence, secondBatch.Status));
    }

    [Fact]
    public async Task A_group_that_fails_stores_none_of_its_scans_and_each_can_then_be_stored_alone_with_its_sitemap_urls()
    {
        await using var database = await CreateDatabaseAsync();
        var (batchId, _) = await database.EnqueueBatchAsync(["good.test", "bad.test"]);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 2, Ct);
        var (good, bad) = (claims.Single(c => c.Domain == "good.test"), claims.Single(c => c.Domain == "bad.test"));
        var sitemaps = database.CreateScope().ServiceProvider.GetRequiredService<SitemapStoreFactory>().Create(good.TenantId, good.Domain);
        var file = new SitemapFileRecord
        {
            Id = Guid.CreateVersion7(),
            Url = new Uri("https://good.test/sitemap.xml"),
            Discovery = SitemapDiscovery.WellKnown,
            Kind = SitemapKind.UrlSet,
            HttpStatus = 200,
        };
        await sitemaps.OpenFileAsync(file, Ct);
        await sitemaps.AddUrlsAsync(file, [new SitemapUrlEntry { Loc = "https://good.test/a" }, new SitemapUrlEntry { Loc = "https://good.test/b" }], Ct);
        await sitemaps.CloseFileAsync(file with { UrlCount = 2 }, Ct);

        // A batch that does not exist: the second completion fails after the first one's rows were written.
        await Assert.ThrowsAnyAsync<Exception>(() => queue.CompleteAsync(
            [new JobCompletion(good, Metadata("Good"), sitemaps), new JobCompletion(bad with { BatchId = Guid.NewGuid() }, Metadata("Bad"), null)], Ct));

        await using var db = database.CreateContext();
        Assert.Equal(JobStatus.Running, (await database.JobAsync(good.Id)).Status);
        Assert.Equal((0, 0, 0), (await db.Domains.CountAsync(Ct), await db.SitemapFiles.CountAsync(Ct), await db.SitemapUrls.CountAsync(Ct)));

        Assert.True(await queue.CompleteAsync(good, Metadata("Good"), sitemaps, Ct));
        Assert.True(await queue.CompleteAsync(bad, Metadata("Bad"), null, Ct));
        Assert.Equal(["https://good.test/a", "https://good.test/b"], await db.SitemapUrls.Select(u => u.Loc).OrderBy(l => l).ToListAsync(Ct));
        Assert.Equal(1, await db.SitemapFiles.CountAsync(Ct));
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((2, BatchStatus.Completed), (batch.CompletedJobs, batch.Status));
    }

    [Fact]
    public async Task Completing_a_job_twice_writes_the_domain_and_counts_the_batch_once()
    {
        await using var database = await CreateDatabaseAsync();
        var (batchId, _) = await database.EnqueueBatchAsync(["once.test", "later.test"]);
        var queue = database.CreateQueue();
        var claim = (await queue.ClaimAsync("worker-1", 2, Ct)).Single(c => c.Domain == "once.test");

        Assert.True(await queue.CompleteAsync(claim, Metadata("Once"), null, Ct));
        Assert.False(await queue.CompleteAsync(claim, Metadata("Twice"), null, Ct));
        Assert.Equal(FailureOutcome.LeaseLost, await queue.FailAsync(claim, "late failure", isTransient: true, Ct));

        await using var db = database.CreateContext();
        var domain = await db.Domains.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(("Once", 1), (domain.Title, domain.ScanCount));
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((1, 0), (batch.CompletedJobs, batch.FailedJobs));
        Assert.Equal(JobStatus.Completed, (await database.JobAsync(claim.Id)).Status);
    }

    [Fact]
    public async Task A_transient_failure_retries_with_growing_backoff_until_the_attempts_run_out()
    {
        await using var database = await CreateDatabaseAsync(o =>
        {
            o.MaxAttempts = 3;
            o.FirstRetryDelay = TimeSpan.FromSeconds(2);
        });
        var (batchId, _) = await database.EnqueueBatchAsync(["flaky.test"]);
        var queue = database.CreateQueue();

        var expectedBase = new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) };
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var claim = Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));
            Assert.Equal(attempt, claim.Attempts);
            var now = database.Time.GetUtcNow().UtcDateTime;
            Assert.Equal(FailureOutcome.Retrying, await queue.FailAsync(claim, "Connection refused", isTransient: true, Ct));

            var job = await database.JobAsync(claim.Id);
            Assert.Equal(JobStatus.Pending, job.Status);
            Assert.Equal("Connection refused", job.Error);
            Assert.Null(job.LeaseOwner);
            var delay = job.NextAttemptAt - now;
            Assert.InRange(delay, expectedBase[attempt - 1] * 0.75, expectedBase[attempt - 1] * 1.25);
            Assert.Equal(BatchStatus.InProgress, (await database.BatchAsync(batchId)).Status);

            Assert.Empty(await queue.ClaimAsync("worker-1", 1, Ct));
            database.Time.Advance(delay);
        }

        var last = Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));
        Assert.Equal(3, last.Attempts);
        Assert.Equal(FailureOutcome.Failed, await queue.FailAsync(last, "Connection refused", isTransient: true, Ct));

        var failed = await database.JobAsync(last.Id);
        Assert.Equal((JobStatus.Failed, "Connection refused", 3), (failed.Status, failed.Error, failed.Attempts));
        Assert.Equal((ScanSteps.Failed, JobQueue.FailedMessage), (failed.ProgressStep, failed.ProgressMessage));
        Assert.NotNull(failed.CompletedAt);
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((0, 1, BatchStatus.Failed), (batch.CompletedJobs, batch.FailedJobs, batch.Status));
        database.Time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await queue.ClaimAsync("worker-1", 1, Ct));
    }

    [Fact]
    public async Task A_permanent_failure_fails_the_job_at_once_and_the_batch_becomes_partial()
    {
        await using var database = await CreateDatabaseAsync(o => o.MaxAttempts = 3);
        var (batchId, _) = await database.EnqueueBatchAsync(["good.test", "gone.test"]);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 2, Ct);

        Assert.True(await queue.CompleteAsync(claims.Single(c => c.Domain == "good.test"), Metadata("Good"), null, Ct));
        var gone = claims.Single(c => c.Domain == "gone.test");
        Assert.Equal(FailureOutcome.Failed, await queue.FailAsync(gone, "The site answered 404 Not Found", isTransient: false, Ct));

        var job = await database.JobAsync(gone.Id);
        Assert.Equal((JobStatus.Failed, 1, "The site answered 404 Not Found"), (job.Status, job.Attempts, job.Error));
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((1, 1, BatchStatus.Partial), (batch.CompletedJobs, batch.FailedJobs, batch.Status));
        Assert.NotNull(batch.CompletedAt);
        // The failed domain is listed with its error, and its failed scan is in its history without a result.
        await using var db = database.CreateContext();
        var domains = await db.Domains.AsNoTracking().OrderBy(d => d.Name)
            .Select(d => new { d.Name, d.LastStatus, d.LastError, d.Title, d.ScanCount }).ToListAsync(Ct);
        Assert.Equal(
            [
                new { Name = "gone.test", LastStatus = JobStatus.Failed, LastError = (string?)"The site answered 404 Not Found", Title = (string?)null, ScanCount = 1 },
                new { Name = "good.test", LastStatus = JobStatus.Completed, LastError = (string?)null, Title = (string?)"Good", ScanCount = 1 },
            ],
            domains);
        var failedScan = await db.DomainScans.AsNoTracking().SingleAsync(s => s.JobId == gone.Id, Ct);
        Assert.Equal((JobStatus.Failed, "The site answered 404 Not Found", (string?)null), (failedScan.Status, failedScan.Error, failedScan.Result));
    }

    [Fact]
    public async Task A_job_whose_lease_expired_with_no_attempts_left_ends_failed_and_counts_in_its_batch()
    {
        await using var database = await CreateDatabaseAsync(o =>
        {
            o.MaxAttempts = 2;
            o.LeaseDuration = TimeSpan.FromSeconds(5);
        });
        var (batchId, _) = await database.EnqueueBatchAsync(["killer.test"]);
        var queue = database.CreateQueue();

        Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));
        database.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(2, Assert.Single(await queue.ClaimAsync("worker-2", 1, Ct)).Attempts);
        database.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Empty(await queue.ClaimAsync("worker-3", 1, Ct));

        await using var db = database.CreateContext();
        var job = await db.Jobs.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("stopped responding", job.Error, StringComparison.Ordinal);
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((0, 1, BatchStatus.Failed), (batch.CompletedJobs, batch.FailedJobs, batch.Status));
    }

    [Fact]
    public async Task Progress_is_persisted_while_the_lease_is_held()
    {
        await using var database = await CreateDatabaseAsync();
        await database.EnqueueAsync("progress.test");
        var queue = database.CreateQueue();
        var claim = Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));

        Assert.Equal(1, await queue.ReportProgressAsync([new JobProgress(claim, ScanSteps.Extracting, "Reading the homepage")], Ct));

        var job = await database.JobAsync(claim.Id);
        Assert.Equal((ScanSteps.Extracting, "Reading the homepage"), (job.ProgressStep, job.ProgressMessage));
        Assert.True(await queue.ReleaseAsync(claim, Ct));
        Assert.Equal(0, await queue.ReportProgressAsync([new JobProgress(claim, ScanSteps.Storing, "too late")], Ct));
    }

    [Fact]
    public async Task The_progress_of_several_scans_is_written_in_one_statement_where_each_lease_is_held()
    {
        await using var database = await CreateDatabaseAsync();
        await database.EnqueueBatchAsync(["a.test", "b.test", "c.test"]);
        var queue = database.CreateQueue();
        var claims = (await queue.ClaimAsync("worker-1", 3, Ct)).OrderBy(c => c.Domain).ToList();
        Assert.True(await queue.CompleteAsync(claims[1], Metadata("Done"), null, Ct));
        var stale = claims[2] with { Attempts = claims[2].Attempts + 1 };

        var written = await queue.ReportProgressAsync(
        [
            new JobProgress(claims[0], ScanSteps.Extracting, "Reading https://a.test/"),
            new JobProgress(claims[1], ScanSteps.Extracting, "after its end"),
            new JobProgress(stale, ScanSteps.Extracting, "another attempt's"),
        ], Ct);

        Assert.Equal(1, written);
        var (a, b, c) = (await database.JobAsync(claims[0].Id), await database.JobAsync(claims[1].Id), await database.JobAsync(claims[2].Id));
        Assert.Equal((ScanSteps.Extracting, "Reading https://a.test/"), (a.ProgressStep, a.ProgressMessage));
        Assert.Equal((ScanSteps.Completed, JobQueue.CompletedMessage), (b.ProgressStep, b.ProgressMessage));
        Assert.Equal(ScanSteps.Starting, c.ProgressStep);
    }

    [Fact]
    public async Task A_released_job_is_claimable_at_once_without_spending_an_attempt()
    {
        await using var database = await CreateDatabaseAsync(o => o.LeaseDuration = TimeSpan.FromMinutes(5));
        await database.EnqueueAsync("stopping.test");
        var queue = database.CreateQueue();
        var claim = Assert.Single(await queue.ClaimAsync("stopping-worker", 1, Ct));

        Assert.True(await queue.ReleaseAsync(claim, Ct));

        var again = Assert.Single(await queue.ClaimAsync("worker-2", 1, Ct));
        Assert.Equal((claim.Id, 1), (again.Id, again.Attempts));
        Assert.False(await queue.CompleteAsync(claim, Metadata("Stale"), null, Ct));
    }

    [Fact]
    public async Task Concurrent_completions_of_one_domain_share_a_single_row()
    {
        await using var database = await CreateDatabaseAsync();
        const int Jobs = 8;
        for (var i = 0; i < Jobs; i++)
        {
            await database.EnqueueAsync("same.test");
        }

        var claims = await database.CreateQueue().ClaimAsync("worker-1", Jobs, Ct);
        Assert.Equal(Jobs, claims.Count);

        var results = await Task.WhenAll(claims.Select(c => Task.Run(
            () => database.CreateQueue().CompleteAsync(c, Metadata("Same"), null, Ct), Ct)));

        Assert.All(results, Assert.True);
        await using var db = database.CreateContext();
        var domain = await db.Domains.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(("same.test", Jobs), (domain.Name, domain.ScanCount));
    }

    [Fact]
    public async Task A_rescan_replaces_the_facts_but_keeps_the_first_scan_time_and_a_sitemap_count_it_did_not_read()
    {
        await using var database = await CreateDatabaseAsync();
        var queue = database.CreateQueue();
        async Task<ClaimedJob> ClaimAsync(string domain)
        {
            await database.EnqueueAsync(domain);
            return Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));
        }

        var first = database.Time.GetUtcNow().UtcDateTime;
        Assert.True(await queue.CompleteAsync(await ClaimAsync("again.test"), Metadata("First") with
        {
            Sitemaps = new SitemapSummary { Files = 1, Urls = 25 },
        }, null, Ct));
        database.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(FailureOutcome.Failed, await queue.FailAsync(await ClaimAsync("again.test"), "The site did not answer.", isTransient: false, Ct));

        await using (var db = database.CreateContext())
        {
            var failed = await db.Domains.AsNoTracking().SingleAsync(Ct);
            Assert.Equal((JobStatus.Failed, "The site did not answer.", "First", 2, first, first),
                (failed.LastStatus, failed.LastError, failed.Title, failed.ScanCount, failed.FirstScanAt, failed.LastCompletedAt));
            Assert.Equal(25, failed.SitemapUrlCount);
        }

        database.Time.Advance(TimeSpan.FromHours(1));
        var last = database.Time.GetUtcNow().UtcDateTime;
        var rescan = await ClaimAsync("again.test");
        Assert.True(await queue.CompleteAsync(rescan, Metadata("Second") with
        {
            ContactInfo = new ContactInfo { Email = ["hello@again.test"] },
            Technologies = [new DetectedTechnology("Shopify", ["Ecommerce"], null, 100)],
        }, null, Ct));

        await using var context = database.CreateContext();
        var domain = await context.Domains.AsNoTracking().SingleAsync(Ct);
        Assert.Equal((JobStatus.Completed, (string?)null, "Second", 3, (Guid?)rescan.Id),
            (domain.LastStatus, domain.LastError, domain.Title, domain.ScanCount, domain.LastJobId));
        Assert.Equal((first, last, last), (domain.FirstScanAt, domain.LastScanAt, domain.LastCompletedAt));
        Assert.Equal(["hello@again.test"], domain.Emails);
        Assert.Equal(["Shopify"], domain.TechnologyNames);
        Assert.Equal(["Ecommerce"], domain.TechnologyCategories);
        Assert.Equal(25, domain.SitemapUrlCount);
        // The outage once, the recovery, and the facts compared with the completed scan before the outage.
        var changes = await context.DomainChanges.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Type).ToListAsync(Ct);
        Assert.Equal([ChangeTypes.BecameUnreachable, ChangeTypes.Recovered], changes.Take(2));
        Assert.Contains(ChangeTypes.TitleChanged, changes);
        Assert.Contains(ChangeTypes.TechAdded, changes);
    }

    [Fact]
    public async Task A_domain_whose_first_scan_failed_has_a_row_with_no_facts_that_the_filters_read()
    {
        await using var database = await CreateDatabaseAsync();
        await database.EnqueueAsync("down.test");
        await database.EnqueueAsync("up.test");
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 2, Ct);

        Assert.Equal(FailureOutcome.Failed, await queue.FailAsync(claims.Single(c => c.Domain == "down.test"), "No such host.", isTransient: false, Ct));
        Assert.True(await queue.CompleteAsync(claims.Single(c => c.Domain == "up.test"), Metadata("Up"), null, Ct));

        await using var db = database.CreateContext();
        var down = await db.Domains.AsNoTracking().SingleAsync(d => d.Name == "down.test", Ct);
        Assert.Equal((JobStatus.Failed, "No such host.", 1, (string?)null), (down.LastStatus, down.LastError, down.ScanCount, down.Title));
        Assert.Empty(down.Emails);
        Assert.Equal(down.FirstScanAt, down.LastScanAt);
        Assert.Null(down.LastCompletedAt);
        Assert.Equal(["down.test"], await db.Domains.Where(d => d.Emails.Count == 0).Select(d => d.Name).ToListAsync(Ct));
        Assert.Equal(["up.test"], await db.Domains.Where(d => d.TechnologyNames.Any(n => n == "WordPress")).Select(d => d.Name).ToListAsync(Ct));
    }

    [Fact]
    public async Task Nul_characters_a_hostile_page_sent_are_dropped_so_its_result_can_be_stored()
    {
        await using var database = await CreateDatabaseAsync();
        await database.EnqueueAsync("nul.test");
        var queue = database.CreateQueue();
        var claim = Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));
        var metadata = Metadata("Shop") with
        {
            Title = "Sh\0op",
            Description = @"a backslash \ then u0000: \u0000",
            ContactInfo = new ContactInfo { Email = ["in\0fo@nul.test"] },
        };

        Assert.Equal(1, await queue.ReportProgressAsync([new JobProgress(claim, ScanSteps.Extracting, "Reading \0")], Ct));
        Assert.True(await queue.CompleteAsync(claim, metadata, null, Ct));

        await using var db = database.CreateContext();
        var domain = await db.Domains.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(("Shop", @"a backslash \ then u0000: \u0000", "info@nul.test"), (domain.Title, domain.Description, domain.Emails.Single()));
        using var result = JsonDocument.Parse((await db.DomainScans.AsNoTracking().SingleAsync(s => s.JobId == claim.Id, Ct)).Result!);
        Assert.Equal("Shop", result.RootElement.GetProperty("title").GetString());
        Assert.Equal(@"a backslash \ then u0000: \u0000", result.RootElement.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Each_tenant_gets_its_own_row_for_the_same_domain()
    {
        await using var database = await CreateDatabaseAsync();
        var other = await database.AddTenantAsync("other");
        await database.EnqueueAsync("shared.test");
        await database.EnqueueAsync("shared.test", other);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 2, Ct);

        Assert.True(await queue.CompleteAsync(claims.Single(c => c.TenantId == Tenant.DefaultId), Metadata("Default's view"), null, Ct));
        Assert.True(await queue.CompleteAsync(claims.Single(c => c.TenantId == other), Metadata("Other's view"), null, Ct));

        await using var db = database.CreateContext();
        var rows = await db.Domains.AsNoTracking().OrderBy(d => d.Title).Select(d => new { d.TenantId, d.Title, d.ScanCount }).ToListAsync(Ct);
        Assert.Equal([new { TenantId = Tenant.DefaultId, Title = (string?)"Default's view", ScanCount = 1 }, new { TenantId = other, Title = (string?)"Other's view", ScanCount = 1 }], rows);
    }
}

public sealed class SqliteJobQueueTests() : JobQueueTests(DatabaseProvider.Sqlite);

public sealed class PostgresJobQueueTests() : JobQueueTests(DatabaseProvider.Postgres);
