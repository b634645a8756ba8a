using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Schedules;

/// Runs due schedules, one per call and transaction: the claim of the schedule, its batch (submitted through
/// <see cref="JobSubmission"/>, so a run is durable jobs like any batch) and its advanced `next_run_at` commit
/// together or not at all. Exactly once across processes: on PostgreSQL the due row is claimed with
/// `FOR UPDATE SKIP LOCKED`; on SQLite the transaction holds the write lock and `next_run_at` is advanced by a
/// compare-and-set, so a runner that lost the race changes nothing. Time comes from <see cref="TimeProvider"/> only.
public sealed partial class ScheduleRuns(
    ScraperSkyDbContext db,
    JobSubmission submission,
    TimeProvider time,
    IOptions<JobOptions> options,
    JobQueueSignal signal,
    ILogger<ScheduleRuns> logger)
{
    public const string PreviousRunPending = "Skipped: the previous run's batch has not ended yet.";

    /// Runs every schedule due now; returns what each run did.
    public async Task<IReadOnlyList<ScheduleRun>> RunDueAsync(CancellationToken cancellationToken)
    {
        var runs = new List<ScheduleRun>();
        while (await RunNextAsync(cancellationToken) is { } run)
        {
            runs.Add(run);
        }

        return runs;
    }

    /// Runs the schedule due first, if any is due and free; null when none is.
    public async Task<ScheduleRun?> RunNextAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // An idle poll only reads, so it never waits for (or takes) SQLite's write lock.
        if (!await Due(now).AnyAsync(cancellationToken))
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var schedule = db.IsPostgres
            ? (await db.Schedules.FromSql($"""
                SELECT * FROM schedules WHERE state = 'active' AND next_run_at <= {now}
                ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED
                """).AsNoTracking().ToListAsync(cancellationToken)).SingleOrDefault()
            : await Due(now).AsNoTracking().OrderBy(s => s.NextRunAt).FirstOrDefaultAsync(cancellationToken);
        if (schedule is null)
        {
            // Every due schedule is being run by another process right now.
            return null;
        }

        var due = schedule.NextRunAt;
        var next = ScheduleTiming.Of(schedule).Next(due, now);
        var claimed = await db.Schedules
            .Where(s => s.Id == schedule.Id && s.State == ScheduleState.Active && s.NextRunAt == due)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.NextRunAt, next ?? due)
                .SetProperty(x => x.LastRunAt, now)
                .SetProperty(x => x.State, next is null ? ScheduleState.Disabled : ScheduleState.Active), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        var run = await SubmitAsync(schedule, cancellationToken);
        var error = run.Skipped is { } skipped ? StoredText.Entry(skipped, 500) : null;
        var (batchId, submitted) = (run.BatchId ?? schedule.LastBatchId, run.BatchId is null ? 0 : 1);
        await db.Schedules.Where(s => s.Id == schedule.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.LastError, error)
            .SetProperty(x => x.LastBatchId, batchId)
            .SetProperty(x => x.RunCount, x => x.RunCount + submitted), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (run.BatchId is not null)
        {
            // Submission woke this process's workers before the jobs were committed; now they can see them.
            signal.Notify();
        }

        LogRun(logger, schedule.PublicId, run.BatchId is { } b ? PublicIds.Format(BatchJob.PublicPrefix, b) : null,
            run.DomainCount, run.Skipped, next);
        return run;
    }

    private IQueryable<Schedule> Due(DateTime now) =>
        db.Schedules.Where(s => s.State == ScheduleState.Active && s.NextRunAt <= now);

    private async Task<ScheduleRun> SubmitAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        // Runs do not pile up behind a slow one: while the last run's jobs wait or run, this one is skipped.
        if (schedule.LastBatchId is { } last
            && await db.BatchJobs.AnyAsync(b => b.Id == last && b.CompletedAt == null, cancellationToken))
        {
            return new ScheduleRun(schedule.Id, null, 0, PreviousRunPending);
        }

        var target = await ScheduleTargets.ResolveAsync(db, schedule, options.Value.MaxBatchSize, cancellationToken);
        if (target.Domains.Count == 0)
        {
            return new ScheduleRun(schedule.Id, null, 0, target.Note);
        }

        try
        {
            var batch = await submission.SubmitBatchAsync(
                schedule.TenantId, target.Domains, ScanJobOptions.FromJson(schedule.Options), cancellationToken);
            return new ScheduleRun(schedule.Id, batch.Batch.Id, batch.JobCount, target.Note);
        }
        catch (QueueLimitExceededException e)
        {
            // Nothing of the batch was stored; the next period tries again.
            db.ChangeTracker.Clear();
            return new ScheduleRun(schedule.Id, null, 0, "Skipped: " + e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Schedule {ScheduleId} ran: batch {BatchId} with {DomainCount} domains ({Note}); next run at {NextRunAt}")]
    private static partial void LogRun(ILogger logger, string scheduleId, string? batchId, int domainCount, string? note, DateTime? nextRunAt);
}
