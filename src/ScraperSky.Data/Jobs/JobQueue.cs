using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Sitemaps;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Jobs;

/// Everything that happens to a job after its row exists: claim with a lease, renew, progress, complete, fail, release.
/// Each call uses its own short-lived context, so a worker may renew its lease while it reports progress.
/// Time comes from <see cref="TimeProvider"/> only; the database clock is never consulted.
public sealed partial class JobQueue(
    IDbContextFactory<ScraperSkyDbContext> contexts,
    IOptions<JobOptions> options,
    TimeProvider time,
    JobQueueSignal signal,
    ILogger<JobQueue> logger)
{
    public const string CompletedMessage = "Scan completed successfully";
    public const string FailedMessage = "Scan failed";
    public const string CancelledMessage = "Cancelled before it started";
    public const string CancelledStep = "cancelled";

    private const int ExpiredSweepSize = 100;

    private static readonly string RunningStatus = EnumNames.ToWire(JobStatus.Running);
    private static readonly string CompletedStatus = EnumNames.ToWire(JobStatus.Completed);

    // The PostgreSQL advisory lock that makes claimers take turns ("SKYCLAIM" in ASCII).
    private const long ClaimLockKey = 0x534B_5943_4C41_494D;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// Claims up to <paramref name="limit"/> due jobs for <paramref name="owner"/>: pending jobs whose next attempt is
    /// due, and running jobs whose lease expired (their process died). Running jobs that expired with no attempts
    /// left are failed instead. Never hands one job to two claimers.
    /// Claims are fair: each due job's turn is its place in its tenant's queue plus the scans that tenant already
    /// runs, and the lowest turns go first, so a tenant with one job is served before another's ten thousand wait
    /// their turn. Within a tenant the batches (and the single scans) take turns the same way. A tenant at
    /// <see cref="JobOptions.MaxRunningPerTenant"/> running scans gets nothing until one ends.
    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(string owner, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await FailExhaustedLeasesAsync(cancellationToken);

        var now = Now;
        var expires = now + options.Value.LeaseDuration;
        var cap = options.Value.MaxRunningPerTenant;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        List<ClaimedJob> claimed;
        // Only the first `limit` due jobs of each (tenant, batch) can win a turn, so each is read from the pending-jobs
        // index by a loose scan (one seek per tenant and per batch) rather than ranking every pending row: a claim costs
        // the same with 100,000 jobs waiting as with ten. Status literals, not parameters, and ORDER BY the index's
        // whole key, so that the planners walk the partial index rather than one holding every ended job.
        if (db.IsPostgres)
        {
            // Turns count running rows, so claimers take turns: each starts after the previous one committed and sees
            // its claims (a fresh snapshot per statement). SKIP LOCKED still passes over rows another statement holds,
            // and the row lock re-checks the WHERE clause, so a row claimed a moment ago is not claimed again.
            // The planner's guess for the recursive scans is high enough to JIT-compile the statement, which costs
            // about 100 ms of CPU on each claim of a few milliseconds' work; off for this transaction only.
            await RawStatements.ExecuteAsync(
                db, $"SELECT pg_advisory_xact_lock({ClaimLockKey}), set_config('jit', 'off', true)", cancellationToken);
            claimed = await ReadClaimsAsync(db, owner, $"""
                WITH RECURSIVE
                tenants_waiting(tenant_id) AS (
                    (SELECT tenant_id FROM jobs WHERE status = 'pending' ORDER BY tenant_id, batch_id, next_attempt_at, id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT j.tenant_id FROM jobs j
                            WHERE j.status = 'pending' AND j.tenant_id > w.tenant_id ORDER BY j.tenant_id, j.batch_id, j.next_attempt_at, j.id LIMIT 1)
                    FROM tenants_waiting w WHERE w.tenant_id IS NOT NULL),
                batches_waiting(tenant_id, batch_id) AS (
                    SELECT w.tenant_id, (SELECT j.batch_id FROM jobs j
                            WHERE j.status = 'pending' AND j.tenant_id = w.tenant_id AND j.batch_id IS NOT NULL
                            ORDER BY j.batch_id, j.next_attempt_at, j.id LIMIT 1)
                    FROM tenants_waiting w WHERE w.tenant_id IS NOT NULL
                    UNION ALL
                    SELECT b.tenant_id, (SELECT j.batch_id FROM jobs j
                            WHERE j.status = 'pending' AND j.tenant_id = b.tenant_id AND j.batch_id > b.batch_id
                            ORDER BY j.batch_id, j.next_attempt_at, j.id LIMIT 1)
                    FROM batches_waiting b WHERE b.batch_id IS NOT NULL),
                due AS (
                    SELECT c.* FROM batches_waiting b CROSS JOIN LATERAL (
                        SELECT j.id, j.tenant_id, j.batch_id, j.next_attempt_at FROM jobs j
                        WHERE j.status = 'pending' AND j.tenant_id = b.tenant_id AND j.batch_id = b.batch_id
                          AND j.next_attempt_at <= {now}
                        ORDER BY j.next_attempt_at, j.id LIMIT {limit}) c
                    UNION ALL
                    SELECT c.* FROM tenants_waiting w CROSS JOIN LATERAL (
                        SELECT j.id, j.tenant_id, j.batch_id, j.next_attempt_at FROM jobs j
                        WHERE j.status = 'pending' AND j.tenant_id = w.tenant_id AND j.batch_id IS NULL
                          AND j.next_attempt_at <= {now}
                        ORDER BY j.next_attempt_at, j.id LIMIT {limit}) c
                    UNION ALL
                    SELECT id, tenant_id, batch_id, next_attempt_at FROM jobs
                    WHERE status = 'running' AND lease_expires_at < {now} AND attempts < max_attempts),
                running AS (
                    SELECT tenant_id, batch_id, COUNT(*) AS n FROM jobs
                    WHERE status = 'running' AND lease_expires_at >= {now}
                    GROUP BY tenant_id, batch_id),
                batch_turns AS (
                    SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.tenant_id, d.batch_id ORDER BY d.next_attempt_at, d.id)
                        + COALESCE((SELECT r.n FROM running r
                                    WHERE r.tenant_id = d.tenant_id AND r.batch_id IS NOT DISTINCT FROM d.batch_id), 0) AS turn
                    FROM due d),
                tenant_turns AS (
                    SELECT t.id, t.next_attempt_at,
                        ROW_NUMBER() OVER (PARTITION BY t.tenant_id ORDER BY t.turn, t.next_attempt_at, t.id)
                        + COALESCE((SELECT SUM(r.n) FROM running r WHERE r.tenant_id = t.tenant_id), 0) AS turn
                    FROM batch_turns t),
                -- Twice as many as wanted, so that rows another statement holds can be skipped for the next in turn;
                -- a LIMIT also tells the planner this is a handful of rows to look up by key.
                front AS (
                    SELECT id, turn, next_attempt_at FROM tenant_turns
                    WHERE {cap} = 0 OR turn <= {cap}
                    ORDER BY turn, next_attempt_at, id
                    LIMIT {limit} * 2),
                claimed AS (
                    UPDATE jobs
                    SET status = 'running', lease_owner = {owner}, lease_expires_at = {expires},
                        attempts = attempts + 1, started_at = COALESCE(started_at, {now}),
                        progress_step = 'starting', progress_message = 'Scan started'
                    WHERE id IN (
                        SELECT j.id FROM front f JOIN jobs j ON j.id = f.id
                        WHERE j.status IN ('pending', 'running')
                          AND ((j.status = 'pending' AND j.next_attempt_at <= {now})
                            OR (j.status = 'running' AND j.lease_expires_at < {now} AND j.attempts < j.max_attempts))
                        ORDER BY f.turn, f.next_attempt_at, f.id
                        LIMIT {limit}
                        FOR UPDATE OF j SKIP LOCKED)
                    RETURNING *),
                started_batches AS (
                    UPDATE batch_jobs SET status = 'in_progress', started_at = COALESCE(started_at, {now})
                    WHERE status = 'pending' AND id IN (SELECT batch_id FROM claimed))
                SELECT id, tenant_id, domain, batch_id, options, attempts, max_attempts FROM claimed
                """, cancellationToken);
        }
        else
        {
            // SQLite has one writer at a time and the transaction takes the write lock when it begins, so turns are
            // counted and the claim and the batch update below commit without another writer in between.
            claimed = await ReadClaimsAsync(db, owner, $"""
                WITH RECURSIVE
                tenants_waiting(tenant_id) AS (
                    SELECT (SELECT tenant_id FROM jobs INDEXED BY ix_jobs_tenant_id_batch_id_next_attempt_at_id WHERE status = 'pending' ORDER BY tenant_id, batch_id, next_attempt_at, id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT j.tenant_id FROM jobs j INDEXED BY ix_jobs_tenant_id_batch_id_next_attempt_at_id
                            WHERE j.status = 'pending' AND j.tenant_id > w.tenant_id ORDER BY j.tenant_id, j.batch_id, j.next_attempt_at, j.id LIMIT 1)
                    FROM tenants_waiting w WHERE w.tenant_id IS NOT NULL),
                batches_waiting(tenant_id, batch_id) AS (
                    SELECT w.tenant_id, (SELECT j.batch_id FROM jobs j INDEXED BY ix_jobs_tenant_id_batch_id_next_attempt_at_id
                            WHERE j.status = 'pending' AND j.tenant_id = w.tenant_id AND j.batch_id IS NOT NULL
                            ORDER BY j.batch_id, j.next_attempt_at, j.id LIMIT 1)
                    FROM tenants_waiting w WHERE w.tenant_id IS NOT NULL
                    UNION ALL
                    SELECT b.tenant_id, (SELECT j.batch_id FROM jobs j INDEXED BY ix_jobs_tenant_id_batch_id_next_attempt_at_id
                            WHERE j.status = 'pending' AND j.tenant_id = b.tenant_id AND j.batch_id > b.batch_id
                            ORDER BY j.batch_id, j.next_attempt_at, j.id LIMIT 1)
                    FROM batches_waiting b WHERE b.batch_id IS NOT NULL),
                queues(tenant_id, batch_id) AS (
                    SELECT tenant_id, NULL FROM tenants_waiting WHERE tenant_id IS NOT NULL
                    UNION ALL
                    SELECT tenant_id, batch_id FROM batches_waiting WHERE batch_id IS NOT NULL),
                due AS (
                    SELECT j.id, j.tenant_id, j.batch_id, j.next_attempt_at FROM queues q JOIN jobs j ON j.id IN (
                        SELECT x.id FROM jobs x INDEXED BY ix_jobs_tenant_id_batch_id_next_attempt_at_id
                        WHERE x.status = 'pending' AND x.tenant_id = q.tenant_id AND x.batch_id IS q.batch_id
                          AND x.next_attempt_at <= {now}
                        ORDER BY x.next_attempt_at, x.id LIMIT {limit} + 0)
                    UNION ALL
                    SELECT id, tenant_id, batch_id, next_attempt_at FROM jobs INDEXED BY ix_jobs_status_next_attempt_at
                    WHERE status = 'running' AND lease_expires_at < {now} AND attempts < max_attempts),
                running AS (
                    SELECT tenant_id, batch_id, COUNT(*) AS n FROM jobs INDEXED BY ix_jobs_status_next_attempt_at
                    WHERE status = 'running' AND lease_expires_at >= {now}
                    GROUP BY tenant_id, batch_id),
                batch_turns AS (
                    SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.tenant_id, d.batch_id ORDER BY d.next_attempt_at, d.id)
                        + COALESCE((SELECT r.n FROM running r
                                    WHERE r.tenant_id = d.tenant_id AND r.batch_id IS d.batch_id), 0) AS turn
                    FROM due d),
                tenant_turns AS (
                    SELECT t.id, t.next_attempt_at,
                        ROW_NUMBER() OVER (PARTITION BY t.tenant_id ORDER BY t.turn, t.next_attempt_at, t.id)
                        + COALESCE((SELECT SUM(r.n) FROM running r WHERE r.tenant_id = t.tenant_id), 0) AS turn
                    FROM batch_turns t)
                UPDATE jobs
                SET status = 'running', lease_owner = {owner}, lease_expires_at = {expires},
                    attempts = attempts + 1, started_at = COALESCE(started_at, {now}),
                    progress_step = 'starting', progress_message = 'Scan started'
                WHERE id IN (
                    SELECT id FROM tenant_turns
                    WHERE {cap} = 0 OR turn <= {cap}
                    ORDER BY turn, next_attempt_at, id
                    LIMIT {limit} + 0)
                RETURNING id, tenant_id, domain, batch_id, options, attempts, max_attempts
                """, cancellationToken);
            var batchIds = claimed.Where(j => j.BatchId is not null).Select(j => j.BatchId!.Value).Distinct().ToList();
            if (batchIds.Count > 0)
            {
                // Kept prepared as the claim is (EF Core's ExecuteUpdateAsync ran its query pipeline on every claim).
                await RawStatements.ExecuteAsync(db, $"""
                    UPDATE batch_jobs SET status = 'in_progress', started_at = COALESCE(started_at, {now})
                    WHERE status = 'pending' AND id IN (SELECT value FROM json_each({RawStatements.SqliteIds(batchIds)}))
                    """, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// The claimed jobs as the claim's statement returns them, read by hand: materialising them as `Job` entities through
    /// `FromSql` ran EF Core's query pipeline on every claim. On SQLite the claim is kept prepared
    /// (<see cref="RawStatements.ReadAsync{T}"/>): parsing its text was much of a claim. Its LIMITs are written `{limit} + 0`,
    /// since SQLite plans by the value of a bare parameter in LIMIT and would compile the kept claim again at every run.
    private static Task<List<ClaimedJob>> ReadClaimsAsync(
        ScraperSkyDbContext db, string owner, FormattableString claim, CancellationToken cancellationToken) =>
        RawStatements.ReadAsync(db, claim, row => new ClaimedJob
        {
            Id = row.GetGuid(0),
            TenantId = row.GetGuid(1),
            Domain = row.GetString(2),
            BatchId = row.IsNull(3) ? null : row.GetGuid(3),
            Options = row.GetNullableString(4),
            Attempts = row.GetInt32(5),
            MaxAttempts = row.GetInt32(6),
            Owner = owner,
        }, cancellationToken);

    /// Extends the leases of all the jobs <paramref name="owner"/> runs in one statement (a worker renews once per
    /// tick, not once per job); returns the jobs whose lease is no longer ours, whose work must stop.
    public async Task<IReadOnlyList<ClaimedJob>> RenewLeasesAsync(
        string owner, IReadOnlyCollection<ClaimedJob> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return [];
        }

        var expires = Now + options.Value.LeaseDuration;
        var ids = jobs.Select(j => j.Id).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var held = db.Jobs.Where(j => ids.Contains(j.Id) && j.Status == JobStatus.Running && j.LeaseOwner == owner);
        // On PostgreSQL a job whose completion is being stored is skipped, not waited for (its lease ends with it): a
        // group's lease checks lock its jobs one after another, and a renewal that locked some of them first and waited
        // for the others was a deadlock, a second's stall and a failed group. The read below finds it still ours.
        var renewed = db.IsPostgres
            ? await RawStatements.ExecuteAsync(db, $"""
                UPDATE jobs SET lease_expires_at = {expires}
                WHERE id IN (SELECT id FROM jobs WHERE id = ANY({ids.ToArray()}) AND status = {RunningStatus} AND lease_owner = {owner}
                             FOR UPDATE SKIP LOCKED)
                """, cancellationToken)
            : await held.ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, expires), cancellationToken);
        if (renewed == jobs.Count)
        {
            return [];
        }

        // Some lease was lost (another process took the job after this one stalled): find which, by attempt too.
        var ours = (await held.Select(j => new { j.Id, j.Attempts }).ToListAsync(cancellationToken))
            .Select(j => (j.Id, j.Attempts)).ToHashSet();
        return [.. jobs.Where(j => !ours.Contains((j.Id, j.Attempts)))];
    }

    /// Persists the step and message a status call shows for each of <paramref name="reports"/>, in one statement: a
    /// worker writes the progress of all its scans once per tick rather than a transaction per report. A report whose
    /// lease is no longer ours (the job ended, or another worker holds it) changes nothing, and on PostgreSQL neither
    /// does one whose job's completion is being stored (skipped rather than waited for, as <see cref="RenewLeasesAsync"/>
    /// skips it). Returns how many were written.
    /// Raw SQL: `ExecuteUpdateAsync` runs EF Core's query pipeline (cache key, parameter extraction) on every call, which
    /// cost more CPU than the statement itself.
    public async Task<int> ReportProgressAsync(IReadOnlyCollection<JobProgress> reports, CancellationToken cancellationToken)
    {
        if (reports.Count == 0)
        {
            return 0;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.IsPostgres)
        {
            var (ids, owners, attempts, steps, messages) = (reports.Select(r => r.Job.Id).ToArray(), reports.Select(r => r.Job.Owner).ToArray(),
                reports.Select(r => r.Job.Attempts).ToArray(), reports.Select(r => r.Step).ToArray(),
                reports.Select(r => StoredText.Clean(r.Message)).ToArray());
            return await RawStatements.ExecuteAsync(db, $"""
                UPDATE jobs SET progress_step = r.step, progress_message = r.message
                FROM unnest({ids}, {owners}, {attempts}, {steps}, {messages}) AS r(id, owner, attempts, step, message)
                WHERE jobs.id = r.id AND jobs.status = {RunningStatus} AND jobs.lease_owner = r.owner AND jobs.attempts = r.attempts
                  AND jobs.id IN (SELECT id FROM jobs WHERE id = ANY({ids}) FOR UPDATE SKIP LOCKED)
                """, cancellationToken);
        }

        // Ids in the text form EF Core's SQLite provider stores them in.
        var rows = JsonSerializer.Serialize(reports.Select(r => new ProgressRow(
            r.Job.Id.ToString().ToUpperInvariant(), r.Job.Owner, r.Job.Attempts, r.Step, StoredText.Clean(r.Message))));
        return await RawStatements.ExecuteAsync(db, $"""
            UPDATE jobs SET progress_step = r.value ->> '$.step', progress_message = r.value ->> '$.message'
            FROM json_each({rows}) AS r
            WHERE jobs.id = r.value ->> '$.id' AND jobs.status = {RunningStatus} AND jobs.lease_owner = r.value ->> '$.owner'
              AND jobs.attempts = r.value ->> '$.attempts'
            """, cancellationToken);
    }

    private sealed record ProgressRow(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("owner")] string Owner,
        [property: JsonPropertyName("attempts")] int Attempts,
        [property: JsonPropertyName("step")] string Step,
        [property: JsonPropertyName("message")] string? Message);

    /// Stores a finished scan in one transaction: the job's state, what its sitemap collection (<paramref name="sitemaps"/>)
    /// still holds, the scan in the domain's history and current facts (<see cref="DomainStore"/>), and the batch
    /// counters. False (and nothing written) when the lease is no longer ours, so a job is never completed or counted
    /// twice. Earlier sitemap collections of the domain are retired with it.
    public async Task<bool> CompleteAsync(
        ClaimedJob job, SiteMetadata metadata, SitemapStore? sitemaps, CancellationToken cancellationToken) =>
        (await CompleteAsync([new JobCompletion(job, metadata, sitemaps)], cancellationToken))[0];

    /// Stores several finished scans in one transaction, each as <see cref="CompleteAsync(ClaimedJob, SiteMetadata, SitemapStore?, CancellationToken)"/>
    /// would: on SQLite a commit writes every page it changed to the WAL, and the pages the scans share (the jobs',
    /// the batch's, the indexes') are written once for all of them instead of once per scan. Returns, in order, whether
    /// each was stored (false: its lease is no longer ours, and nothing of it was written). If any of them fails, none
    /// is stored.
    /// The group goes in steps, each for all its scans at once, so that on PostgreSQL its round trips do not grow with
    /// its size (four for a group, where each scan had taken three): every lease checked in one batch of statements;
    /// every domain's previous scan, and the tenants' webhooks, read in the next (with the scan rows before them); the
    /// rest written with the batch counters, one UPDATE per batch, last. A domain with two scans in the group has them
    /// stored in two rounds, the second reading the first as its previous scan.
    public async Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stored = new bool[completions.Count];
        foreach (var round in Rounds(completions))
        {
            await CompleteRoundAsync(db, completions, round, stored, now, cancellationToken);
        }

        // Counted last: on PostgreSQL the batch row's lock, which every process storing the batch's jobs waits for, is
        // held from here to the commit only.
        var counted = new List<(Guid BatchId, Guid JobId)>();
        for (var i = 0; i < completions.Count; i++)
        {
            if (stored[i] && completions[i].Job.BatchId is { } batchId)
            {
                counted.Add((batchId, completions[i].Job.Id));
            }
        }

        await CountInBatchesAsync(db, counted, JobStatus.Completed, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// The completions' indexes in rounds, each domain at most once per round, a round in the domains' order: two
    /// groups stored at once (PostgreSQL) take the rows of the domains they share in the same order, never each holding
    /// one the other waits for.
    private static List<List<int>> Rounds(IReadOnlyList<JobCompletion> completions)
    {
        var rounds = new List<List<int>>();
        var seen = new Dictionary<(Guid, string), int>();
        for (var i = 0; i < completions.Count; i++)
        {
            var job = completions[i].Job;
            var round = seen.GetValueOrDefault((job.TenantId, job.Domain));
            seen[(job.TenantId, job.Domain)] = round + 1;
            if (round == rounds.Count)
            {
                rounds.Add([]);
            }

            rounds[round].Add(i);
        }

        foreach (var round in rounds)
        {
            round.Sort((a, b) =>
            {
                var (x, y) = (completions[a].Job, completions[b].Job);
                var tenant = x.TenantId.CompareTo(y.TenantId);
                return tenant != 0 ? tenant : string.CompareOrdinal(x.Domain, y.Domain);
            });
        }

        return rounds;
    }

    private async Task CompleteRoundAsync(
        ScraperSkyDbContext db, IReadOnlyList<JobCompletion> completions, List<int> indexes, bool[] stored, DateTime now,
        CancellationToken cancellationToken)
    {
        var leases = new List<RawRead>(indexes.Count);
        foreach (var i in indexes)
        {
            var job = completions[i].Job;
            leases.Add(new RawRead($"""
                UPDATE jobs
                SET status = {CompletedStatus}, error = NULL, completed_at = {now}, progress_step = {ScanSteps.Completed},
                    progress_message = {CompletedMessage}, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = {job.Id} AND status = {RunningStatus} AND lease_owner = {job.Owner} AND attempts = {job.Attempts}
                RETURNING id
                """, _ => stored[i] = true));
        }

        await RawStatements.ReadEachAsync(db, leases, cancellationToken);
        var ours = new List<CompletedScan>(indexes.Count);
        foreach (var i in indexes)
        {
            var (job, metadata, sitemaps) = completions[i];
            if (!stored[i])
            {
                LogLeaseLost(logger, job.PublicId, job.Owner);
                continue;
            }

            if (sitemaps is not null)
            {
                // Before the earlier collections are retired: a URL listed again moves to its new file rather than going
                // with the old one and coming back.
                await sitemaps.WriteAsync(db, cancellationToken);
            }

            ours.Add(new CompletedScan(job, metadata, sitemaps?.CollectedAt));
        }

        await DomainStore.RecordCompletedAsync(db, ours, now, cancellationToken);
    }

    /// Records a failed attempt. A transient failure with attempts left goes back to pending after a jittered
    /// exponential backoff; anything else ends the job as failed with <paramref name="error"/> shown to the user.
    public async Task<FailureOutcome> FailAsync(ClaimedJob job, string error, bool isTransient, CancellationToken cancellationToken)
    {
        var now = Now;
        error = StoredText.Clean(error)!;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (isTransient && job.Attempts < job.MaxAttempts)
        {
            var due = now + RetryDelay(options.Value.FirstRetryDelay, job.Attempts, Random.Shared.NextDouble());
            var message = $"Attempt {job.Attempts} of {job.MaxAttempts} failed, retrying: {error}";
            var retried = await db.Jobs.Where(Held(job)).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Pending)
                .SetProperty(j => j.Error, error)
                .SetProperty(j => j.NextAttemptAt, due)
                .SetProperty(j => j.ProgressStep, ScanSteps.Starting)
                .SetProperty(j => j.ProgressMessage, message)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken);
            return retried == 1 ? FailureOutcome.Retrying : LeaseLost(job);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var failed = await db.Jobs.Where(Held(job)).ExecuteUpdateAsync(s => EndAsFailed(s, error, now), cancellationToken);
        if (failed == 0)
        {
            return LeaseLost(job);
        }

        await DomainStore.RecordFailedAsync(db, job.TenantId, job.Domain, job.Id, job.BatchId, error, now, cancellationToken);
        if (job.BatchId is { } batchId)
        {
            await CountInBatchesAsync(db, [(batchId, job.Id)], JobStatus.Failed, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return FailureOutcome.Failed;
    }

    /// Cancels a batch: its pending jobs become cancelled (each an ended job in the batch's event stream), its running
    /// ones finish, and the batch shows `cancelled` until it is retried. Returns how many jobs were cancelled.
    public async Task<int> CancelBatchAsync(Guid batchId, CancellationToken cancellationToken)
    {
        var now = Now;
        var (pending, cancelled, step) = (EnumNames.ToWire(JobStatus.Pending), EnumNames.ToWire(JobStatus.Cancelled), CancelledStep);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = db.BatchJobs.Where(b => b.Id == batchId);
        // Taking the batch row first holds off job completions, which count in it, until this commits.
        await batch.ExecuteUpdateAsync(s => s.SetProperty(b => b.CancelledAt, b => b.CancelledAt ?? now), cancellationToken);
        // One statement numbers the cancelled jobs after the batch's last end sequence, in submission order.
        var count = await db.Database.ExecuteSqlAsync($"""
            UPDATE jobs
            SET status = {cancelled}, completed_at = {now}, progress_step = {step}, progress_message = {CancelledMessage},
                end_sequence = (SELECT end_sequence FROM batch_jobs WHERE id = {batchId}) + numbered.position
            FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS position
                  FROM jobs WHERE batch_id = {batchId} AND status = {pending}) AS numbered
            WHERE jobs.id = numbered.id
            """, cancellationToken);
        await batch.ExecuteUpdateAsync(s => s
            .SetProperty(b => b.CancelledJobs, b => b.CancelledJobs + count)
            .SetProperty(b => b.EndSequence, b => b.EndSequence + count)
            .SetProperty(b => b.Status, BatchStatus.Cancelled), cancellationToken);
        await SetCompletedIfEndedAsync(batch, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    /// Queues a batch's failed and cancelled jobs again with fresh attempts (entries that were not valid domains stay
    /// failed: another attempt cannot change them). Returns how many jobs were queued.
    public async Task<int> RetryBatchAsync(Guid batchId, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = db.BatchJobs.Where(b => b.Id == batchId);
        await batch.ExecuteUpdateAsync(s => s.SetProperty(b => b.CancelledAt, (DateTime?)null), cancellationToken);
        var jobs = db.Jobs.Where(j => j.BatchId == batchId);
        var cancelled = await jobs.Where(j => j.Status == JobStatus.Cancelled)
            .ExecuteUpdateAsync(s => Requeue(s, now), cancellationToken);
        var failed = await jobs.Where(j => j.Status == JobStatus.Failed && j.StartedAt != null)
            .ExecuteUpdateAsync(s => Requeue(s, now), cancellationToken);
        var counts = await batch.AsNoTracking()
            .Select(b => new { b.TotalJobs, b.CompletedJobs, b.FailedJobs, b.CancelledJobs })
            .SingleAsync(cancellationToken);
        var status = BatchJob.StatusFor(counts.TotalJobs, counts.CompletedJobs, counts.FailedJobs - failed,
            counts.CancelledJobs - cancelled, cancelledAt: null, anyStarted: true);
        var requeued = cancelled + failed;
        await batch.ExecuteUpdateAsync(s =>
        {
            s.SetProperty(b => b.FailedJobs, b => b.FailedJobs - failed)
                .SetProperty(b => b.CancelledJobs, b => b.CancelledJobs - cancelled)
                .SetProperty(b => b.Status, status);
            if (requeued > 0)
            {
                s.SetProperty(b => b.CompletedAt, (DateTime?)null);
            }
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (requeued > 0)
        {
            signal.Notify();
        }

        return requeued;
    }

    /// Gives a job back without spending an attempt (this process is stopping), so any worker may take it at once.
    public async Task<bool> ReleaseAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.Where(Held(job)).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, JobStatus.Pending)
            .SetProperty(j => j.Attempts, j => j.Attempts - 1)
            .SetProperty(j => j.NextAttemptAt, now)
            .SetProperty(j => j.ProgressStep, ScanSteps.Starting)
            .SetProperty(j => j.ProgressMessage, "Waiting for a worker")
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null), cancellationToken) == 1;
    }

    /// The delay before retry number <paramref name="attempt"/>: the first delay doubled per attempt, times a jitter
    /// factor between 0.75 and 1.25 so retries of a failed batch spread out. <paramref name="jitter"/> is in [0, 1).
    public static TimeSpan RetryDelay(TimeSpan firstDelay, int attempt, double jitter)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 16);
        return firstDelay * (Math.Pow(2, exponent) * (0.75 + (jitter * 0.5)));
    }

    private async Task FailExhaustedLeasesAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Every claim sweeps first: read by hand and kept prepared on SQLite (RawStatements.ReadAsync), where EF Core's
        // compiled query still ran its pipeline and prepared the statement anew each time. The status is a literal: a
        // parameter compared with a column of a partial index's condition makes SQLite plan by its value.
        var exhausted = await RawStatements.ReadAsync(db, $"""
            SELECT id, tenant_id, domain, batch_id, attempts FROM jobs
            WHERE status = 'running' AND lease_expires_at < {now} AND attempts >= max_attempts
            ORDER BY lease_expires_at LIMIT {ExpiredSweepSize} + 0
            """, static row => new ExhaustedJob(
                row.GetGuid(0), row.GetGuid(1), row.GetString(2), row.IsNull(3) ? null : row.GetGuid(3), row.GetInt32(4)),
            cancellationToken);
        foreach (var job in exhausted)
        {
            var error = $"The scan did not finish: its worker stopped responding on each of {job.Attempts} attempts.";
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Re-checked in the update: another process may have swept or renewed it since the read.
            var failed = await db.Jobs
                .Where(j => j.Id == job.Id && j.Status == JobStatus.Running && j.LeaseExpiresAt < now && j.Attempts == job.Attempts)
                .ExecuteUpdateAsync(s => EndAsFailed(s, error, now), cancellationToken);
            if (failed == 1)
            {
                await DomainStore.RecordFailedAsync(db, job.TenantId, job.Domain, job.Id, job.BatchId, error, now, cancellationToken);
                if (job.BatchId is { } batchId)
                {
                    await CountInBatchesAsync(db, [(batchId, job.Id)], JobStatus.Failed, now, cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            if (failed == 1)
            {
                LogExhausted(logger, PublicIds.Format(Job.PublicPrefix, job.Id), job.Attempts);
            }
        }
    }

    private sealed record ExhaustedJob(Guid Id, Guid TenantId, string Domain, Guid? BatchId, int Attempts);

    private static void Requeue(UpdateSettersBuilder<Job> setters, DateTime now) => setters
        .SetProperty(j => j.Status, JobStatus.Pending)
        .SetProperty(j => j.Attempts, 0)
        .SetProperty(j => j.Error, (string?)null)
        .SetProperty(j => j.CompletedAt, (DateTime?)null)
        .SetProperty(j => j.EndSequence, (long?)null)
        .SetProperty(j => j.NextAttemptAt, now)
        .SetProperty(j => j.ProgressStep, ScanSteps.Starting)
        .SetProperty(j => j.ProgressMessage, "Waiting for a worker");

    private static async Task SetCompletedIfEndedAsync(IQueryable<BatchJob> batch, DateTime now, CancellationToken cancellationToken) =>
        await batch.Where(b => b.CompletedJobs + b.FailedJobs + b.CancelledJobs >= b.TotalJobs)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.CompletedAt, b => b.CompletedAt ?? now), cancellationToken);

    private static void EndAsFailed(UpdateSettersBuilder<Job> setters, string error, DateTime now) => setters
        .SetProperty(j => j.Status, JobStatus.Failed)
        .SetProperty(j => j.Error, error)
        .SetProperty(j => j.CompletedAt, now)
        .SetProperty(j => j.ProgressStep, ScanSteps.Failed)
        .SetProperty(j => j.ProgressMessage, FailedMessage)
        .SetProperty(j => j.LeaseOwner, (string?)null)
        .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null);

    /// Counts ended jobs (batch, job) in their batches, gives each the batch's next end sequence (its event id in the
    /// batch's event stream, in the order given) and sets the status the counters imply, inside the caller's
    /// transaction: one UPDATE of each batch row, which returns what the batch's end needs of it, all in one round trip
    /// on PostgreSQL, and one of each job. The batch rows are taken in id order, so two groups of completions in two
    /// processes never each hold a batch the other waits for.
    private static async Task CountInBatchesAsync(
        ScraperSkyDbContext db, IReadOnlyList<(Guid BatchId, Guid JobId)> jobs, JobStatus ended, DateTime now,
        CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        var batches = jobs.GroupBy(j => j.BatchId, j => j.JobId).OrderBy(b => b.Key).Select(b => (Id: b.Key, Jobs: b.ToList())).ToList();
        var counted = new BatchJob?[batches.Count];
        var (cancelledStatus, inProgress, completedStatus, failedStatus, partial) = (
            EnumNames.ToWire(BatchStatus.Cancelled), EnumNames.ToWire(BatchStatus.InProgress),
            EnumNames.ToWire(BatchStatus.Completed), EnumNames.ToWire(BatchStatus.Failed), EnumNames.ToWire(BatchStatus.Partial));
        var reads = new List<RawRead>(batches.Count);
        for (var k = 0; k < batches.Count; k++)
        {
            var (batchId, count) = (batches[k].Id, batches[k].Jobs.Count);
            var completed = ended == JobStatus.Completed ? count : 0;
            var failed = ended == JobStatus.Failed ? count : 0;
            var index = k;
            // The status is BatchJob.StatusFor of the new counters with a job started (SET sees the row before the
            // update, hence the additions). The update holds the row (PostgreSQL row lock, SQLite write lock) until
            // commit, so no other job's count slips in between.
            reads.Add(new RawRead($"""
                UPDATE batch_jobs
                SET completed_jobs = completed_jobs + {completed}, failed_jobs = failed_jobs + {failed},
                    end_sequence = end_sequence + {count}, started_at = COALESCE(started_at, {now}),
                    status = CASE
                        WHEN cancelled_at IS NOT NULL THEN {cancelledStatus}
                        WHEN completed_jobs + {completed} + failed_jobs + {failed} + cancelled_jobs < total_jobs THEN {inProgress}
                        WHEN failed_jobs + {failed} = 0 THEN {completedStatus}
                        WHEN completed_jobs + {completed} = 0 THEN {failedStatus}
                        ELSE {partial} END,
                    completed_at = CASE
                        WHEN completed_jobs + {completed} + failed_jobs + {failed} + cancelled_jobs >= total_jobs
                        THEN COALESCE(completed_at, {now}) ELSE completed_at END
                WHERE id = {batchId}
                RETURNING id, tenant_id, status, total_jobs, completed_jobs, failed_jobs, cancelled_jobs, end_sequence, completed_at
                """, row => counted[index] = new BatchJob
                {
                    // What the batch's end and its webhook need, read by hand (see RawStatements.ReadAsync).
                    Id = row.GetGuid(0),
                    TenantId = row.GetGuid(1),
                    Status = EnumNames.FromWire<BatchStatus>(row.GetString(2)),
                    TotalJobs = row.GetInt32(3),
                    CompletedJobs = row.GetInt32(4),
                    FailedJobs = row.GetInt32(5),
                    CancelledJobs = row.GetInt32(6),
                    EndSequence = row.GetInt64(7),
                    CompletedAt = row.GetUtc(8),
                }));
        }

        await RawStatements.ReadEachAsync(db, reads, cancellationToken);
        for (var k = 0; k < batches.Count; k++)
        {
            var (batchId, ids) = batches[k];
            var batch = counted[k] ?? throw new InvalidOperationException($"Batch {batchId} of job {ids[0]} does not exist.");
            var sequence = batch.EndSequence - ids.Count;
            foreach (var jobId in ids)
            {
                sequence++;
                await RawStatements.DeferAsync(db, $"UPDATE jobs SET end_sequence = {sequence} WHERE id = {jobId}", cancellationToken);
            }

            if (batch.CompletedJobs + batch.FailedJobs + batch.CancelledJobs >= batch.TotalJobs)
            {
                await Webhooks.WebhookOutbox.BatchEndedAsync(db, batch, now, cancellationToken);
            }
        }
    }

    private static Expression<Func<Job, bool>> Held(ClaimedJob job)
    {
        var (id, owner, attempts) = (job.Id, job.Owner, job.Attempts);
        return j => j.Id == id && j.Status == JobStatus.Running && j.LeaseOwner == owner && j.Attempts == attempts;
    }

    private FailureOutcome LeaseLost(ClaimedJob job)
    {
        LogLeaseLost(logger, job.PublicId, job.Owner);
        return FailureOutcome.LeaseLost;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} is no longer leased to {Owner}; its result was discarded")]
    private static partial void LogLeaseLost(ILogger logger, string jobId, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed: its lease expired on each of {Attempts} attempts")]
    private static partial void LogExhausted(ILogger logger, string jobId, int attempts);
}
