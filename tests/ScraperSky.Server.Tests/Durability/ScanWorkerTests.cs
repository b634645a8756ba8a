using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;
using ScraperSky.Server.Workers;

namespace ScraperSky.Server.Tests.Durability;

/// The worker pool in a real host on a real SQLite file, with a scanner that scripts each domain's outcome.
public sealed class ScanWorkerTests : IAsyncDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"scrapersky-worker-{Guid.NewGuid():N}.db");
    private readonly List<IHost> _hosts = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IHost> StartHostAsync(ScriptedScanner scanner, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:ScraperSky"] = $"Data Source={_file}",
            ["Jobs:PollInterval"] = "00:00:00.200",
            ["Jobs:FirstRetryDelay"] = "00:00:00.100",
            ["Jobs:Concurrency"] = "4",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddScraperSkyData(builder.Configuration);
        builder.Services.AddSingleton<IDomainScanner>(scanner);
        builder.AddScanWorkers();
        var host = builder.Build();
        _hosts.Add(host);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
        }

        await host.StartAsync(Ct);
        return host;
    }

    private static async Task<Guid> AddBatchAsync(IHost host, params string[] domains)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScraperSkyDbContext>();
        var maxAttempts = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobOptions>>().Value.MaxAttempts;
        return await JobRows.AddBatchAsync(db, domains, maxAttempts, Ct);
    }

    private static async Task<List<Job>> JobsAsync(IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScraperSkyDbContext>();
        return await db.Jobs.AsNoTracking().OrderBy(j => j.Domain).ToListAsync(Ct);
    }

    private static async Task<BatchJob> BatchAsync(IHost host, Guid id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScraperSkyDbContext>();
        return await db.BatchJobs.AsNoTracking().SingleAsync(b => b.Id == id, Ct);
    }

    private static Task WaitForEndedJobsAsync(IHost host, int count) => JobRows.WaitUntilAsync(
        async () => (await JobsAsync(host)).Count(j => j.Status is JobStatus.Completed or JobStatus.Failed) == count,
        TimeSpan.FromSeconds(30), $"{count} jobs ended", Ct);

    [Fact]
    public async Task The_worker_scans_pending_jobs_and_stores_each_result_with_the_batch_counters()
    {
        var scanner = new ScriptedScanner();
        var host = await StartHostAsync(scanner);
        var batchId = await AddBatchAsync(host, "a.test", "b.test", "c.test");

        await WaitForEndedJobsAsync(host, 3);

        var jobs = await JobsAsync(host);
        Assert.All(jobs, j => Assert.Equal((JobStatus.Completed, 1, ScanSteps.Completed), (j.Status, j.Attempts, j.ProgressStep)));
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScraperSkyDbContext>();
        var titles = await db.Domains.OrderBy(d => d.Name).Select(d => d.Title).ToListAsync(Ct);
        Assert.Equal(["Title of a.test", "Title of b.test", "Title of c.test"], titles);
        var batch = await BatchAsync(host, batchId);
        Assert.Equal((3, 0, BatchStatus.Completed), (batch.CompletedJobs, batch.FailedJobs, batch.Status));
        Assert.Equal(3, scanner.Calls);
    }

    [Fact]
    public async Task A_transient_scan_failure_is_retried_and_the_retry_can_succeed()
    {
        var scanner = new ScriptedScanner
        {
            Outcome = (request, attempt) => attempt == 1 ? throw new ScanException("Connection timed out", isTransient: true) : null,
        };
        var host = await StartHostAsync(scanner);
        await AddBatchAsync(host, "flaky.test");

        await WaitForEndedJobsAsync(host, 1);

        var job = Assert.Single(await JobsAsync(host));
        Assert.Equal((JobStatus.Completed, 2), (job.Status, job.Attempts));
        Assert.Null(job.Error);
    }

    [Fact]
    public async Task A_permanent_scan_failure_fails_the_job_at_once_with_the_scanners_reason()
    {
        var scanner = new ScriptedScanner
        {
            Outcome = (request, _) => request.Domain == "gone.test"
                ? throw new ScanException("The site answered 404 Not Found", isTransient: false)
                : null,
        };
        var host = await StartHostAsync(scanner);
        var batchId = await AddBatchAsync(host, "gone.test", "fine.test");

        await WaitForEndedJobsAsync(host, 2);

        var gone = (await JobsAsync(host)).Single(j => j.Domain == "gone.test");
        Assert.Equal((JobStatus.Failed, 1, "The site answered 404 Not Found"), (gone.Status, gone.Attempts, gone.Error));
        Assert.Equal((ScanSteps.Failed, JobQueue.FailedMessage), (gone.ProgressStep, gone.ProgressMessage));
        var batch = await BatchAsync(host, batchId);
        Assert.Equal((1, 1, BatchStatus.Partial), (batch.CompletedJobs, batch.FailedJobs, batch.Status));
    }

    [Fact]
    public async Task An_unexpected_exception_is_retried_up_to_the_maximum_and_then_fails_with_a_clear_error()
    {
        var scanner = new ScriptedScanner { Outcome = (_, _) => throw new InvalidOperationException("parser exploded") };
        var host = await StartHostAsync(scanner, new() { ["Jobs:MaxAttempts"] = "3" });
        await AddBatchAsync(host, "broken.test");

        await WaitForEndedJobsAsync(host, 1);

        var job = Assert.Single(await JobsAsync(host));
        Assert.Equal((JobStatus.Failed, 3), (job.Status, job.Attempts));
        Assert.Equal("The scan failed unexpectedly: parser exploded", job.Error);
        Assert.Equal(3, scanner.Calls);
    }

    [Fact]
    public async Task No_more_scans_run_at_once_than_the_configured_concurrency()
    {
        var scanner = new ScriptedScanner { Duration = TimeSpan.FromMilliseconds(300) };
        var host = await StartHostAsync(scanner, new() { ["Jobs:Concurrency"] = "3" });
        await AddBatchAsync(host, [.. Enumerable.Range(0, 12).Select(i => $"site-{i}.test")]);

        await WaitForEndedJobsAsync(host, 12);

        Assert.Equal(3, scanner.MaxConcurrent);
        Assert.All(await JobsAsync(host), j => Assert.Equal(JobStatus.Completed, j.Status));
    }

    [Fact]
    public async Task A_scan_longer_than_its_lease_keeps_the_job_by_renewing_the_lease()
    {
        var scanner = new ScriptedScanner { Duration = TimeSpan.FromSeconds(3.5) };
        var settings = new Dictionary<string, string?> { ["Jobs:LeaseDuration"] = "00:00:01", ["Jobs:Concurrency"] = "1" };
        var first = await StartHostAsync(scanner, settings);
        await AddBatchAsync(first, "slow.test");
        await JobRows.WaitUntilAsync(async () => scanner.Calls == 1, TimeSpan.FromSeconds(10), "the scan started", Ct);
        // A second process polls the same database the whole time and would take the job if the lease ran out.
        var second = await StartHostAsync(scanner, settings);

        await WaitForEndedJobsAsync(second, 1);

        var job = Assert.Single(await JobsAsync(second));
        Assert.Equal((JobStatus.Completed, 1), (job.Status, job.Attempts));
        Assert.Equal(1, scanner.Calls);
    }

    [Fact]
    public async Task The_progress_of_every_running_scan_shows_while_the_scans_run()
    {
        var scanner = new ScriptedScanner { Duration = Timeout.InfiniteTimeSpan };
        var host = await StartHostAsync(scanner, new() { ["Jobs:LeaseDuration"] = "00:10:00" });
        await AddBatchAsync(host, "one.test", "two.test", "three.test");

        await JobRows.WaitUntilAsync(
            async () => (await JobsAsync(host)).All(j => j.ProgressStep == ScanSteps.Extracting && j.ProgressMessage == "Reading " + j.Domain),
            TimeSpan.FromSeconds(10), "every scan's progress written", Ct);

        Assert.All(await JobsAsync(host), j => Assert.Equal(JobStatus.Running, j.Status));
    }

    [Fact]
    public async Task Stopping_the_server_mid_scan_releases_the_job_without_spending_an_attempt()
    {
        var scanner = new ScriptedScanner { Duration = Timeout.InfiniteTimeSpan };
        var host = await StartHostAsync(scanner, new() { ["Jobs:LeaseDuration"] = "00:10:00" });
        await AddBatchAsync(host, "endless.test");
        await JobRows.WaitUntilAsync(async () => scanner.Calls == 1, TimeSpan.FromSeconds(10), "the scan started", Ct);

        await host.StopAsync(Ct);

        var job = Assert.Single(await JobsAsync(host));
        Assert.Equal((JobStatus.Pending, 0, (string?)null), (job.Status, job.Attempts, job.LeaseOwner));
        Assert.Equal(1, scanner.Cancelled);

        var next = await StartHostAsync(new ScriptedScanner());
        await WaitForEndedJobsAsync(next, 1);
        Assert.Equal((JobStatus.Completed, 1), (Assert.Single(await JobsAsync(next)).Status, Assert.Single(await JobsAsync(next)).Attempts));
    }

    [Fact]
    public async Task Work_enqueued_in_this_process_wakes_an_idle_worker_before_the_next_poll()
    {
        var scanner = new ScriptedScanner();
        var host = await StartHostAsync(scanner, new() { ["Jobs:PollInterval"] = "00:10:00" });
        var signal = host.Services.GetRequiredService<JobQueueSignal>();

        // With a ten-minute poll, neither job can be picked up in time unless the signal wakes the worker.
        await AddBatchAsync(host, "first.test");
        signal.Notify();
        await WaitForEndedJobsAsync(host, 1);
        await AddBatchAsync(host, "second.test");
        signal.Notify();
        await WaitForEndedJobsAsync(host, 2);

        Assert.Equal(2, scanner.Calls);
    }

    [Fact]
    public async Task An_api_only_process_runs_no_workers()
    {
        var scanner = new ScriptedScanner();
        var host = await StartHostAsync(scanner, new() { ["Server:Role"] = "Api" });
        await AddBatchAsync(host, "waiting.test");

        await Task.Delay(TimeSpan.FromSeconds(1), Ct);

        Assert.DoesNotContain(host.Services.GetServices<IHostedService>(), s => s is ScanWorker);
        Assert.Equal(JobStatus.Pending, Assert.Single(await JobsAsync(host)).Status);
        Assert.Equal(0, scanner.Calls);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// Answers each scan after <see cref="Duration"/> with a title made from the domain, unless
    /// <see cref="Outcome"/> throws for it. Counts calls, cancellations and the most scans seen at once.
    private sealed class ScriptedScanner : IDomainScanner
    {
        private readonly ConcurrentDictionary<string, int> _attempts = new();
        private int _calls;
        private int _current;
        private int _maxConcurrent;
        private int _cancelled;

        public TimeSpan Duration { get; init; } = TimeSpan.Zero;
        public Func<ScanRequest, int, SiteMetadata?> Outcome { get; init; } = (_, _) => null;
        public int Calls => Volatile.Read(ref _calls);
        public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);
        public int Cancelled => Volatile.Read(ref _cancelled);

        public async Task<SiteMetadata> ScanAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var attempt = _attempts.AddOrUpdate(request.Domain, 1, (_, n) => n + 1);
            var current = Interlocked.Increment(ref _current);
            InterlockedMax(ref _maxConcurrent, current);
            try
            {
                progress?.Report(new ScanProgress(ScanSteps.Extracting, "Reading " + request.Domain));
                if (Duration != TimeSpan.Zero)
                {
                    await Task.Delay(Duration, cancellationToken);
                }

                return Outcome(request, attempt) ?? new SiteMetadata { Title = "Title of " + request.Domain };
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelled);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            var seen = Volatile.Read(ref target);
            while (value > seen)
            {
                var previous = Interlocked.CompareExchange(ref target, value, seen);
                if (previous == seen)
                {
                    return;
                }

                seen = previous;
            }
        }
    }
}
