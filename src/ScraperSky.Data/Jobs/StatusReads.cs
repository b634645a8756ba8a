using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Jobs;

/// The reads behind the status endpoints, which clients poll while their work runs (the web UI and the command line a
/// page of a batch every second, the load run every 250 ms, v1 clients a scan's status as fast as they like): statements
/// kept on the SQLite connection (<see cref="RawStatements.ReadAsync{T}"/>) rather than EF Core's query pipeline, which
/// cost several times the reads it ran. With a <c>scope</c>, only that tenant's rows are read: another tenant's batch or
/// job reads as missing; null reads any tenant's (local mode).
public static class StatusReads
{
    /// The batch's row, if <paramref name="scope"/> may read it.
    public static async Task<BatchJob?> BatchAsync(ScraperSkyDbContext db, Guid batchId, Guid? scope, CancellationToken cancellationToken)
    {
        var rows = await RawStatements.ReadAsync(db, $"""
            SELECT id, tenant_id, status, total_jobs, completed_jobs, failed_jobs, cancelled_jobs, end_sequence, options,
                   file_name, columns, domain_column, created_at, started_at, completed_at, cancelled_at
            FROM batch_jobs WHERE id = {batchId} AND ({scope is null} OR tenant_id = {scope ?? Guid.Empty})
            """, static row => new BatchJob
            {
                Id = row.GetGuid(0),
                TenantId = row.GetGuid(1),
                Status = EnumNames.FromWire<BatchStatus>(row.GetString(2)),
                TotalJobs = row.GetInt32(3),
                CompletedJobs = row.GetInt32(4),
                FailedJobs = row.GetInt32(5),
                CancelledJobs = row.GetInt32(6),
                EndSequence = row.GetInt64(7),
                Options = row.GetNullableString(8),
                FileName = row.GetNullableString(9),
                Columns = row.GetNullableString(10),
                DomainColumn = row.GetNullableString(11),
                CreatedAt = row.GetUtc(12)!.Value,
                StartedAt = row.GetUtc(13),
                CompletedAt = row.GetUtc(14),
                CancelledAt = row.GetUtc(15),
            }, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// The counters of each batch of <paramref name="batchIds"/> that exists, in no particular order: the ended jobs as
    /// the batch row keeps them, and its running jobs counted from the status index (a few hundred rows at most; the
    /// batch's own index would read every job of the batch). One statement, so one snapshot of the two.
    public static Task<List<BatchCounts>> BatchCountsAsync(
        ScraperSkyDbContext db, IReadOnlyCollection<Guid> batchIds, CancellationToken cancellationToken) =>
        RawStatements.ReadAsync(db, BatchCountsSql(db, batchIds), static row => new BatchCounts(
            row.GetGuid(0), EnumNames.FromWire<BatchStatus>(row.GetString(1)), row.GetUtc(2)!.Value, row.GetUtc(3),
            row.GetInt32(4), row.GetInt32(5), row.GetInt32(6), row.GetInt32(7), row.GetInt32(8), row.GetNullableString(9)),
            cancellationToken);

    /// The batch's jobs in their order (submission order: their ids follow it), from the <paramref name="skip"/>th, at
    /// most <paramref name="take"/>.
    public static Task<List<BatchJobRow>> BatchJobsAsync(
        ScraperSkyDbContext db, Guid batchId, int skip, int take, CancellationToken cancellationToken) =>
        RawStatements.ReadAsync(db, BatchJobsSql(batchId, skip, take), static row => new BatchJobRow(
            row.GetGuid(0), row.GetString(1), EnumNames.FromWire<JobStatus>(row.GetString(2)), row.GetNullableString(3),
            row.GetBoolean(4)), cancellationToken);

    /// What a scan's status shows of its job, if <paramref name="scope"/> may read it: one primary-key read.
    public static async Task<JobStatusRow?> JobAsync(ScraperSkyDbContext db, Guid jobId, Guid? scope, CancellationToken cancellationToken)
    {
        var rows = await RawStatements.ReadAsync(db, $"""
            SELECT id, tenant_id, domain, status, created_at, completed_at, error, progress_step, progress_message
            FROM jobs WHERE id = {jobId} AND ({scope is null} OR tenant_id = {scope ?? Guid.Empty})
            """, static row => new JobStatusRow(
                row.GetGuid(0), row.GetGuid(1), row.GetString(2), EnumNames.FromWire<JobStatus>(row.GetString(3)),
                row.GetUtc(4)!.Value, row.GetUtc(5), row.GetNullableString(6), row.GetNullableString(7), row.GetNullableString(8)),
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// The page's statement, which reads the batch's rows of the (batch_id, id) index in order and stops after the page
    /// (the batch's other index would read and sort every job of the batch: 7 ms a call for 10,000). `+ 0`: SQLite plans
    /// by the value of a bare parameter in LIMIT, so a kept statement would be compiled again every time it is bound.
    internal static FormattableString BatchJobsSql(Guid batchId, int skip, int take) => $"""
        SELECT id, domain, status, error, started_at IS NOT NULL
        FROM jobs WHERE batch_id = {batchId} ORDER BY id LIMIT {take} + 0 OFFSET {skip}
        """;

    /// The counters' statement. SQLite is told which index counts the running jobs (by its own estimates the batch's
    /// index is as good); PostgreSQL's planner knows from its statistics how few are running. The ids go to SQLite as a
    /// JSON array of their stored text form (it binds no arrays), to PostgreSQL as a uuid[].
    internal static FormattableString BatchCountsSql(ScraperSkyDbContext db, IReadOnlyCollection<Guid> batchIds) => db.IsPostgres
        ? (FormattableString)$"""
            SELECT b.id, b.status, b.created_at, b.completed_at, b.total_jobs, b.completed_jobs, b.failed_jobs, b.cancelled_jobs,
                   (SELECT COUNT(*) FROM jobs j WHERE j.status = 'running' AND j.batch_id = b.id), b.file_name
            FROM batch_jobs b WHERE b.id = ANY({batchIds.ToArray()})
            """
        : $"""
            SELECT b.id, b.status, b.created_at, b.completed_at, b.total_jobs, b.completed_jobs, b.failed_jobs, b.cancelled_jobs,
                   (SELECT COUNT(*) FROM jobs j INDEXED BY ix_jobs_status_next_attempt_at WHERE j.status = 'running' AND j.batch_id = b.id),
                   b.file_name
            FROM batch_jobs b WHERE b.id IN (SELECT value FROM json_each({RawStatements.SqliteIds(batchIds)}))
            """;
}

/// A batch's counters as its row keeps them, with its running jobs counted; pending is what is left.
public sealed record BatchCounts(
    Guid Id, BatchStatus Status, DateTime CreatedAt, DateTime? CompletedAt, int TotalJobs, int CompletedJobs, int FailedJobs,
    int CancelledJobs, int RunningJobs, string? FileName)
{
    public int PendingJobs => TotalJobs - CompletedJobs - FailedJobs - CancelledJobs - RunningJobs;
}

/// One job of a batch's listing; <see cref="Started"/>: whether it ever started (not when).
public readonly record struct BatchJobRow(Guid Id, string Domain, JobStatus Status, string? Error, bool Started);

/// What a scan's status shows of its job.
public sealed record JobStatusRow(
    Guid Id, Guid TenantId, string Domain, JobStatus Status, DateTime CreatedAt, DateTime? CompletedAt, string? Error,
    string? ProgressStep, string? ProgressMessage);
