using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScraperSky.Data;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Sitemaps;
using ScraperSky.Scanning;

namespace ScraperSky.Server.Workers;

/// The scan worker pool of this process: up to `Jobs:Concurrency` scans at once (<see cref="AdaptiveConcurrency"/>). It claims due jobs with a lease,
/// runs each in its own scope, renews the leases and writes the progress of its running scans on a tick of its own, and
/// records the outcome (results that end together go in one transaction, <see cref="CompletionGroups"/>). Idle, it
/// polls every `Jobs:PollInterval`, or sooner when this process enqueues work. On shutdown, unfinished scans are stopped
/// and their jobs released so another process can take them at once.
internal sealed partial class ScanWorker(
    IServiceScopeFactory scopes,
    JobQueueSignal signal,
    IOptions<JobOptions> options,
    DatabaseOptions database,
    TimeProvider time,
    ILogger<ScanWorker> logger) : BackgroundService
{
    // Every job this process holds, from its claim until its outcome is recorded; the lease renewal reads it too.
    private readonly ConcurrentDictionary<Guid, RunningScan> _running = new();
    private readonly SemaphoreSlim _slotFreed = new(0);

    // Results of scans that end while others are being stored go together in one transaction.
    private readonly CompletionGroups _completions = new(async group =>
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobQueue>().CompleteAsync(group, CancellationToken.None);
    }, CompletionGroups.ConcurrencyFor(database.Provider));

    /// How often the progress of all running scans is written, in one statement: a new step shows within this.
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// The lease owner written on every job this process claims.
    public string WorkerId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var concurrency = new AdaptiveConcurrency(
            settings.StartConcurrency, settings.Concurrency, time, () => Environment.CpuUsage.TotalTime, MachineCpu.Read, Environment.ProcessorCount,
            () => System.Runtime.JitInfo.GetCompilationTime());
        LogStarted(logger, WorkerId, concurrency.Limit, settings.Concurrency);
        var ticking = TickAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var limit = concurrency.Adjust();
                var free = limit - _running.Count;
                // A claim is one transaction whatever its size: with scans running, wait until an eighth of the slots
                // are free and claim them together rather than one claim per finished scan.
                if (free < Math.Max(1, limit / 8) && !_running.IsEmpty)
                {
                    concurrency.NoteSaturated();
                    await _slotFreed.WaitAsync(stoppingToken);
                    continue;
                }

                var claimed = await ClaimAsync(free, stoppingToken);
                foreach (var job in claimed)
                {
                    var scan = new RunningScan(job);
                    var run = new Task<Task>(() => RunAsync(scan, stoppingToken));
                    scan.Completion = run.Unwrap();
                    _running[job.Id] = scan;
                    run.Start(TaskScheduler.Default);
                }

                if (claimed.Count < free)
                {
                    await signal.WaitAsync(settings.PollInterval, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await Task.WhenAll(_running.Values.Select(r => r.Completion));
        await ticking;
        LogStopped(logger, WorkerId);
    }

    private async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int limit, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<JobQueue>().ClaimAsync(WorkerId, limit, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may be restarting; the jobs stay where they are and the next poll tries again.
            LogClaimFailed(logger, e, WorkerId);
            return [];
        }
    }

    private async Task RunAsync(RunningScan running, CancellationToken stoppingToken)
    {
        var job = running.Job;
        try
        {
            await ProcessAsync(running, stoppingToken);
        }
        catch (Exception e)
        {
            // Recording the outcome failed (database unreachable): the lease runs out and the job is claimed again.
            LogRecordFailed(logger, e, job.PublicId);
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
            _slotFreed.Release();
        }
    }

    private async Task ProcessAsync(RunningScan lease, CancellationToken stoppingToken)
    {
        var job = lease.Job;
        await using var scope = scopes.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<JobQueue>();
        using var scan = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var progress = new JobProgressWriter(job, time);
        lease.Renew(scan, progress);
        LogScanning(logger, job.PublicId, job.Domain, job.Attempts);

        SiteMetadata? metadata = null;
        SitemapStore? sitemaps = null;
        (string Error, bool IsTransient)? failure = null;
        try
        {
            var scanner = scope.ServiceProvider.GetRequiredService<IDomainScanner>();
            // Sitemap URLs go into the store as they are read, and are written by the completion unless there are many; the
            // rescan replaces the earlier rows.
            sitemaps = scope.ServiceProvider.GetRequiredService<SitemapStoreFactory>().Create(job.TenantId, job.Domain);
            metadata = await scanner.ScanAsync(RequestFor(job) with { SitemapSink = sitemaps }, progress, scan.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || lease.Lost)
        {
            // Handled below, once the renewal loop has stopped.
        }
        catch (ScanException e)
        {
            failure = (e.Message, e.IsTransient);
        }
        catch (Exception e)
        {
            // Not a failure the scanner classified (a timeout, a bug): worth another attempt, with a reason users read.
            LogUnexpected(logger, e, job.PublicId);
            failure = ($"The scan failed unexpectedly: {e.Message}", true);
        }
        finally
        {
            lease.StopRenewing();
        }

        // Recording an outcome is one short transaction; it runs even during shutdown so a finished scan is not lost.
        if (lease.Lost)
        {
            LogLeaseLost(logger, job.PublicId, WorkerId);
        }
        else if (metadata is not null)
        {
            await CompleteAsync(queue, job, metadata, sitemaps);
        }
        else if (failure is { } failed)
        {
            var outcome = await queue.FailAsync(job, failed.Error, failed.IsTransient, CancellationToken.None);
            LogFailed(logger, job.PublicId, job.Domain, outcome, failed.Error);
        }
        else if (await queue.ReleaseAsync(job, CancellationToken.None))
        {
            LogReleased(logger, job.PublicId);
        }
    }

    private async Task CompleteAsync(JobQueue queue, ClaimedJob job, SiteMetadata metadata, SitemapStore? sitemaps)
    {
        try
        {
            // Null: its group's transaction failed; stored on its own, a result the database refuses fails only its job.
            var stored = await _completions.StoreAsync(new JobCompletion(job, metadata, sitemaps))
                ?? await queue.CompleteAsync(job, metadata, sitemaps, CancellationToken.None);
            if (stored)
            {
                LogCompleted(logger, job.PublicId, job.Domain);
            }
        }
        catch (Exception e) when (e is DbException or DbUpdateException)
        {
            // The database refused this result (or is unreachable): a later attempt may store it; if every attempt
            // fails the same way the job ends failed with a reason instead of cycling through lease expiries.
            LogStoreFailed(logger, e, job.PublicId);
            var outcome = await queue.FailAsync(job, "The scan result could not be stored.", isTransient: true, CancellationToken.None);
            LogFailed(logger, job.PublicId, job.Domain, outcome, "The scan result could not be stored.");
        }
    }

    /// The worker's own tick: every <see cref="ProgressInterval"/> the progress its running scans report, and every third
    /// of the lease's duration their leases, each in one statement. One loop, so the two never run at once: on
    /// PostgreSQL each locks many of the same job rows, and two such statements could deadlock on each other.
    private async Task TickAsync(CancellationToken stoppingToken)
    {
        var renewInterval = options.Value.LeaseDuration / 3;
        var renewedAt = time.GetTimestamp();
        try
        {
            while (true)
            {
                var untilRenewal = renewInterval - time.GetElapsedTime(renewedAt);
                await Task.Delay(TimeSpan.FromTicks(Math.Clamp(untilRenewal.Ticks, 0, ProgressInterval.Ticks)), time, stoppingToken);
                await WriteProgressAsync(stoppingToken);
                if (time.GetElapsedTime(renewedAt) >= renewInterval)
                {
                    renewedAt = time.GetTimestamp();
                    await RenewLeasesAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task WriteProgressAsync(CancellationToken stoppingToken)
    {
        var due = _running.Values.Select(r => r.Progress?.TakeDue()).OfType<JobProgress>().ToList();
        if (due.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<JobQueue>().ReportProgressAsync(due, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Progress is what a status call shows meanwhile; the next report or the outcome overwrites it.
            LogProgressFailed(logger, e, WorkerId, due.Count);
        }
    }

    /// Renews the leases of all running scans in one statement; a scan whose lease was lost (this process stalled and
    /// another took the job) is stopped, as its result would be refused.
    private async Task RenewLeasesAsync(CancellationToken stoppingToken)
    {
        var held = _running.Values.Where(r => r.Renewing).ToList();
        if (held.Count == 0)
        {
            return;
        }

        IReadOnlyList<ClaimedJob> lost;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            lost = await scope.ServiceProvider.GetRequiredService<JobQueue>()
                .RenewLeasesAsync(WorkerId, [.. held.Select(l => l.Job)], stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A missed renewal is survivable: the leases have two more intervals to run.
            LogRenewFailed(logger, e, WorkerId, held.Count);
            return;
        }

        foreach (var job in lost)
        {
            held.Find(l => l.Job == job)?.Lose();
        }
    }

    private static ScanRequest RequestFor(ClaimedJob job)
    {
        ScanJobOptions scanOptions;
        try
        {
            scanOptions = ScanJobOptions.FromJson(job.Options);
        }
        catch (JsonException)
        {
            // Options are written by the API; an unreadable value means the defaults rather than a failed scan.
            scanOptions = new ScanJobOptions();
        }

        return new ScanRequest
        {
            Domain = job.Domain,
            MaxPages = scanOptions.MaxPages,
            IncludeSitemaps = scanOptions.IncludeSitemaps ?? true,
        };
    }

    /// A job this process holds: the task that scans it and records its outcome, and its lease and progress as the tick
    /// sees them (renewed and written only while the scan runs; recording the outcome checks the lease itself).
    private sealed class RunningScan(ClaimedJob job)
    {
        private volatile CancellationTokenSource? _scan;
        private volatile JobProgressWriter? _progress;
        private volatile bool _lost;

        public ClaimedJob Job => job;

        public Task Completion { get; set; } = Task.CompletedTask;

        public bool Renewing => _scan is not null;

        public JobProgressWriter? Progress => _progress;

        public bool Lost => _lost;

        public void Renew(CancellationTokenSource scan, JobProgressWriter progress) => (_scan, _progress) = (scan, progress);

        public void StopRenewing() => (_scan, _progress) = (null, null);

        public void Lose()
        {
            _lost = true;
            try
            {
                _scan?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The scan had already ended; its outcome is refused by the lease check when it is stored.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan worker {WorkerId} started with {Concurrency} slots, adapting up to {MaxConcurrency}")]
    private static partial void LogStarted(ILogger logger, string workerId, int concurrency, int maxConcurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scan worker {WorkerId} stopped")]
    private static partial void LogStopped(ILogger logger, string workerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scanning {Domain} for job {JobId}, attempt {Attempt}")]
    private static partial void LogScanning(ILogger logger, string jobId, string domain, int attempt);

    // Per job, so Debug: at a hundred scans a second, Information lines would cost more than the queue's own writes.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} completed: {Domain}")]
    private static partial void LogCompleted(ILogger logger, string jobId, string domain);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} for {Domain}: {Outcome} after error: {Error}")]
    private static partial void LogFailed(ILogger logger, string jobId, string domain, FailureOutcome outcome, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} released for another worker")]
    private static partial void LogReleased(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} was taken over by another worker; {WorkerId} stopped its scan")]
    private static partial void LogLeaseLost(ILogger logger, string jobId, string workerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the scanner threw an unexpected exception")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the database refused the scan result")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: could not record the outcome; the job will be claimed again when its lease expires")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scan worker {WorkerId} could not claim jobs")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scan worker {WorkerId} could not store the progress of {Count} scans")]
    private static partial void LogProgressFailed(ILogger logger, Exception exception, string workerId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scan worker {WorkerId} could not renew the leases of its {Count} running scans")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string workerId, int count);
}
