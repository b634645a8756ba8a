using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScraperSky.Data;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Spreadsheets;
using ScraperSky.Server.Errors;
using ScraperSky.Server.Exports;
using ScraperSky.Server.OpenApi;
using ScraperSky.Server.Paging;
using ScraperSky.Server.RateLimiting;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Batches;

public static class BatchEndpoints
{
    public const string NotFoundDetail = "Batch not found";
    public const string NoDomainsDetail = "No domains provided";

    public static IEndpointRouteBuilder MapBatches(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/batch").WithTags("Batches").RequireAuthorization().ProducesProblems(401, 429);
        group.MapPost("", SubmitBatchAsync).WithName("SubmitBatch")
            .WithSummary("Scan many domains")
            .WithDescription("Every entry becomes a job at once; duplicates (after normalisation) are scanned once and " +
                             "entries that are not domains become failed jobs. 429 when the batch budget is spent.")
            .ProducesProblems(400, 403, 422);
        group.MapPost("/upload", UploadBatchAsync).WithName("UploadBatch").DisableAntiforgery()
            .WithSummary("Scan the domains of a CSV or Excel file")
            .WithDescription("`multipart/form-data` with `file` (CSV in any common dialect, or XLSX) and optional " +
                             "`column`, `max_pages`, `include_sitemaps`. The results keep the file's own columns. A " +
                             "malformed or empty file, or one without a domain column, is a 400 that says where.")
            .ProducesProblems(400, 403, 422);
        group.MapGet("/status/{batchId}", GetBatchStatusAsync).WithName("GetBatchStatus")
            .WithSummary("A batch's status, counters and jobs")
            .WithDescription("Without `jobs_limit` every job is listed, as v1 clients expect; with it, the jobs are " +
                             "paged by `jobs_cursor` (`next_jobs_cursor`).")
            .ProducesProblems(400, 404);
        group.MapGet("/{batchId}/results", GetBatchResultsAsync).WithName("GetBatchResults")
            .WithSummary("One row per submitted entry, in submission order, with its scan's facts")
            .WithDescription("`format=csv|xlsx|jsonl` (or `Accept`) streams every row; for an uploaded file the " +
                             "file's columns come first.")
            .ProducesProblems(400, 404)
            .ProducesFiles(TableFormat.Csv, TableFormat.Xlsx, TableFormat.Jsonl);
        group.MapPost("/{batchId}/cancel", CancelBatchAsync).WithName("CancelBatch")
            .WithSummary("Cancel a batch: pending jobs become cancelled, running ones finish")
            .WithDescription("The batch's status becomes `cancelled`; `affected_jobs` counts the jobs cancelled. A retry " +
                             "queues them again.")
            .ProducesProblems(404);
        group.MapPost("/{batchId}/retry", RetryBatchAsync).WithName("RetryBatch")
            .WithSummary("Run a batch's failed and cancelled jobs again")
            .WithDescription("`affected_jobs` counts the jobs queued again. Uses the batch budget like a new batch.")
            .ProducesProblems(404);
        group.MapGet("/{batchId}/events", BatchEvents.FollowAsync).WithName("FollowBatch")
            .WithSummary("Server-Sent Events: counters as they change and each job as it ends")
            .WithDescription("Events `counters`, `job` (id = the job's place in the order the batch's jobs ended) " +
                             "and `end`; a late client first gets the jobs that already ended; `Last-Event-ID` resumes.")
            .ProducesProblems(400, 404);
        endpoints.MapGet("/api/v1/batches", ListBatchesAsync).WithTags("Batches").RequireAuthorization()
            .WithName("ListBatches").WithSummary("The tenant's batches, newest first, with their counters")
            .WithDescription("Cursor-paged (`limit`, `cursor`, `next_cursor`). With an API key, the key's tenant's; in " +
                             "local mode `tenant_id` or the default tenant's.")
            .ProducesProblems(400, 401, 403, 429);
        return endpoints;
    }

    public static string StatusUrl(string publicId) => $"/api/v1/batch/status/{publicId}";

    private static async Task<Results<Ok<BatchAccepted>, ProblemHttpResult>> SubmitBatchAsync(
        BatchSubmission request,
        ClaimsPrincipal user,
        RequestTenant requestTenant,
        JobSubmission submission,
        BatchBudget budget,
        HttpContext context,
        IOptions<JobOptions> jobOptions,
        CancellationToken cancellationToken)
    {
        if (request.Domains is null)
        {
            return Problems.Unprocessable("Field 'domains' is required.");
        }

        if (request.MaxPages is < 1)
        {
            return Problems.Unprocessable("Field 'max_pages' must be a positive integer.");
        }

        if (request.Domains.Count == 0)
        {
            return Problems.BadRequest(NoDomainsDetail);
        }

        var limit = jobOptions.Value.MaxBatchSize;
        if (request.Domains.Count > limit)
        {
            return Problems.BadRequest($"Too many domains: {request.Domains.Count} submitted, the limit is {limit} per batch.");
        }

        if (await requestTenant.ForSubmissionAsync(user, request.TenantId, cancellationToken) is not { } tenantId)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        if (budget.TryTake(context) is { } refused)
        {
            return refused;
        }

        var submitted = await submission.SubmitBatchAsync(
            tenantId, request.Domains, new ScanJobOptions { MaxPages = request.MaxPages, IncludeSitemaps = request.IncludeSitemaps }, cancellationToken);
        var publicId = submitted.Batch.PublicId;
        return TypedResults.Ok(new BatchAccepted(publicId, StatusUrl(publicId), submitted.JobCount));
    }

    private static async Task<Results<Ok<UploadAccepted>, ProblemHttpResult>> UploadBatchAsync(
        [FromForm] BatchUpload form,
        HttpRequest request,
        ClaimsPrincipal user,
        RequestTenant requestTenant,
        JobSubmission submission,
        BatchBudget budget,
        IOptions<JobOptions> jobOptions,
        CancellationToken cancellationToken)
    {
        // A form post is the one kind of request another site's page can make a browser send without asking; an
        // upload that names another origin is refused so a page elsewhere cannot start scans in local mode.
        if (request.Headers.Origin is [{ } origin, ..] && !SameOrigin(origin, request))
        {
            return Problems.Forbidden("Cross-site uploads are refused: the Origin header names another site.");
        }

        if (form.File is not { } file)
        {
            return Problems.BadRequest("Field 'file' is required: a CSV or XLSX file of domains.");
        }

        if (form.MaxPages is < 1)
        {
            return Problems.BadRequest("Field 'max_pages' must be a positive integer.");
        }

        DomainTable table;
        try
        {
            await using var content = file.OpenReadStream();
            table = await DomainTableReader.ReadAsync(content, file.FileName, form.Column, jobOptions.Value.MaxBatchSize, cancellationToken);
        }
        catch (DomainTableException e)
        {
            return Problems.BadRequest($"{file.FileName}: {e.Message}");
        }

        if (table.Rows.Count == 0)
        {
            return Problems.BadRequest($"{file.FileName}: {NoDomainsDetail}: the file has no data rows.");
        }

        if (await requestTenant.ForSubmissionAsync(user, form.TenantId, cancellationToken) is not { } tenantId)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        if (budget.TryTake(request.HttpContext) is { } refused)
        {
            return refused;
        }

        var column = table.Headers[table.DomainColumnIndex];
        var entries = table.Rows.Select(r => new BatchInput(r.Input, r.Row, r.Cells)).ToList();
        var submitted = await submission.SubmitBatchAsync(
            tenantId, entries, new BatchSource(file.FileName, table.Headers, column),
            new ScanJobOptions { MaxPages = form.MaxPages, IncludeSitemaps = form.IncludeSitemaps }, cancellationToken);
        var publicId = submitted.Batch.PublicId;
        return TypedResults.Ok(new UploadAccepted(publicId, StatusUrl(publicId), submitted.JobCount, column, table.Rows.Count));
    }

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static async Task<Results<Ok<BatchStatusView>, ProblemHttpResult>> GetBatchStatusAsync(
        string batchId,
        [FromQuery(Name = "jobs_limit")] int? jobsLimit,
        [FromQuery(Name = "jobs_cursor")] string? jobsCursor,
        ClaimsPrincipal user,
        ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(batchId, user, db, cancellationToken) is not { } batch)
        {
            return Problems.NotFound(NotFoundDetail);
        }

        var publicId = PublicIds.Format(BatchJob.PublicPrefix, batch.Id);
        if (jobsLimit is null && jobsCursor is null)
        {
            // Whether a job started, not when: two times read and parsed per job were much of an ended batch's call.
            var all = await StatusReads.BatchJobsAsync(db, batch.Id, 0, int.MaxValue, cancellationToken);
            // The counters come from the job rows themselves, so they always agree with the list below.
            int Count(JobStatus status) => all.Count(j => j.Status == status);
            var (completed, failed, cancelled) = (Count(JobStatus.Completed), Count(JobStatus.Failed), Count(JobStatus.Cancelled));
            var anyStarted = all.Any(j => j.Status == JobStatus.Running || j.Started);
            var status = BatchJob.StatusFor(all.Count, completed, failed, cancelled, batch.CancelledAt, anyStarted);
            var ended = completed + failed + cancelled == all.Count;
            var completedAt = ended
                ? batch.CompletedAt ?? await db.Jobs.Where(j => j.BatchId == batch.Id).MaxAsync(j => j.CompletedAt, cancellationToken)
                : null;
            return TypedResults.Ok(new BatchStatusView(
                publicId, EnumNames.ToWire(status), batch.CreatedAt, completedAt,
                all.Count, completed, failed,
                [.. all.Select(j => Entry(j.Id, j.Domain, j.Status, j.Error))],
                Count(JobStatus.Pending), Count(JobStatus.Running), cancelled, batch.FileName,
                ResultsUrl(publicId), EventsUrl(publicId), null));
        }

        if (!Cursor.TryLimit(jobsLimit, 10_000, out var limit, out var limitProblem))
        {
            return Problems.BadRequest(limitProblem!.Replace("'limit'", "'jobs_limit'", StringComparison.Ordinal));
        }

        // A batch's jobs are written once, in their final order, so a position in that order is a stable cursor.
        var skip = 0;
        if (jobsCursor is not null && (!Cursor.TryText(jobsCursor, out var after) || !int.TryParse(after, out skip) || skip < 0))
        {
            return Problems.BadRequest("Query parameter 'jobs_cursor' is not a cursor this batch handed out.");
        }

        var rows = await StatusReads.BatchJobsAsync(db, batch.Id, skip, limit + 1, cancellationToken);
        var counters = (await BatchReads.CountersAsync(db, batch.Id, cancellationToken))!;
        return TypedResults.Ok(new BatchStatusView(
            publicId, counters.Status, batch.CreatedAt, counters.CompletedAt, counters.TotalJobs, counters.CompletedJobs,
            counters.FailedJobs, [.. rows.Take(limit).Select(j => Entry(j.Id, j.Domain, j.Status, j.Error))],
            counters.PendingJobs, counters.RunningJobs, counters.CancelledJobs, batch.FileName,
            ResultsUrl(publicId), EventsUrl(publicId),
            rows.Count > limit ? Cursor.Text((skip + limit).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null));
    }

    private static BatchJobEntry Entry(Guid id, string domain, JobStatus status, string? error) => new(
        domain, PublicIds.Format(Job.PublicPrefix, id), EnumNames.ToWire(status),
        status == JobStatus.Failed ? error ?? JobQueue.FailedMessage : null);

    private static async Task<Results<Ok<BatchResultsPage>, PushStreamHttpResult, ProblemHttpResult>> GetBatchResultsAsync(
        string batchId,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "cursor")] string? cursor,
        [FromQuery(Name = "format")] string? format,
        HttpRequest request,
        ClaimsPrincipal user,
        ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        if (!TableFormats.TryResolve(format, request.Headers.Accept.OfType<string>(), out var file))
        {
            return Problems.BadFormat();
        }

        if (await FindAsync(batchId, user, db, cancellationToken) is not { } batch)
        {
            return Problems.NotFound(NotFoundDetail);
        }

        var columns = ResultColumnsOf(batch);
        var entries = db.BatchEntries.AsNoTracking().Where(e => e.BatchId == batch.Id).OrderBy(e => e.Row);
        var publicId = PublicIds.Format(BatchJob.PublicPrefix, batch.Id);
        if (file is { } tableFormat)
        {
            return TableResults.Stream(tableFormat, columns, ResultRowsOf(db, batch.Id), $"{publicId}-results", cancellationToken);
        }

        if (!Cursor.TryPage<Cursor.TextPosition>(limit, cursor, out var pageSize, out var after, out var problem))
        {
            return Problems.BadRequest(problem!);
        }

        IQueryable<BatchEntry> page = entries;
        if (after is not null)
        {
            if (!int.TryParse(after.Value, out var afterRow))
            {
                return Problems.BadRequest(Cursor.NotThisListing);
            }

            page = entries.Where(e => e.Row > afterRow);
        }

        var rows = await ResultRows(db, page.Take(pageSize + 1)).ToListAsync(cancellationToken);
        var items = rows.Take(pageSize).Select(ToRow)
            .Select(r => (IReadOnlyDictionary<string, object?>)columns.ToDictionary(c => c.Name, c => c.Value(r)))
            .ToList();
        var next = rows.Count > pageSize ? Cursor.Text(rows[pageSize - 1].Row.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
        return TypedResults.Ok(new BatchResultsPage(publicId, [.. columns.Select(c => c.Name)], items, next));
    }

    /// A batch's results in submission order, as its results file lists them (the command line writes them too).
    public static IAsyncEnumerable<BatchResultRow> ResultRowsOf(ScraperSkyDbContext db, Guid batchId) =>
        ResultRows(db, db.BatchEntries.AsNoTracking().Where(e => e.BatchId == batchId).OrderBy(e => e.Row))
            .AsAsyncEnumerable().Select(ToRow);

    /// The columns of a batch's results: the uploaded file's own first.
    public static IReadOnlyList<TableColumn<BatchResultRow>> ResultColumnsOf(BatchJob batch) =>
        ResultColumns.BatchResults(batch.Columns is null ? null : JsonSerializer.Deserialize<List<string>>(batch.Columns));

    /// Each entry with its job and the newest scan that job ended with.
    private static IQueryable<ResultSource> ResultRows(ScraperSkyDbContext db, IQueryable<BatchEntry> entries) =>
        from e in entries
        join j in db.Jobs on e.JobId equals j.Id
        select new ResultSource
        {
            Row = e.Row,
            Input = e.Input,
            Cells = e.Cells,
            Domain = j.Domain,
            JobId = j.Id,
            Status = j.Status,
            Error = j.Error,
            Started = j.StartedAt != null,
            Scan = db.DomainScans.Where(s => s.JobId == j.Id).OrderByDescending(s => s.ScannedAt)
                .Select(s => new ScanSource { ScannedAt = s.ScannedAt, Result = s.Result }).FirstOrDefault(),
        };

    private static BatchResultRow ToRow(ResultSource source)
    {
        // An entry that is not a domain failed at submission and never started: it has no domain.
        var invalid = source.Status == JobStatus.Failed && !source.Started;
        var completed = source.Status == JobStatus.Completed;
        return new BatchResultRow(
            source.Row,
            source.Input,
            source.Cells is null ? null : JsonSerializer.Deserialize<List<string>>(source.Cells),
            invalid ? null : source.Domain,
            source.JobId,
            source.Status,
            source.Status is JobStatus.Failed ? source.Error ?? JobQueue.FailedMessage : null,
            completed ? source.Scan?.ScannedAt : null,
            completed ? ScanResults.Facts(source.Scan?.Result) : null);
    }

    private static async Task<Results<Ok<BatchControlResult>, ProblemHttpResult>> CancelBatchAsync(
        string batchId, ClaimsPrincipal user, ScraperSkyDbContext db, JobQueue queue, CancellationToken cancellationToken)
    {
        if (await FindAsync(batchId, user, db, cancellationToken) is not { } batch)
        {
            return Problems.NotFound(NotFoundDetail);
        }

        var cancelled = await queue.CancelBatchAsync(batch.Id, cancellationToken);
        return TypedResults.Ok(await ControlResultAsync(db, batch.Id, cancelled, cancellationToken));
    }

    private static async Task<Results<Ok<BatchControlResult>, ProblemHttpResult>> RetryBatchAsync(
        string batchId, ClaimsPrincipal user, ScraperSkyDbContext db, JobQueue queue, BatchBudget budget, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(batchId, user, db, cancellationToken) is not { } batch)
        {
            return Problems.NotFound(NotFoundDetail);
        }

        if (budget.TryTake(context) is { } refused)
        {
            return refused;
        }

        var requeued = await queue.RetryBatchAsync(batch.Id, cancellationToken);
        return TypedResults.Ok(await ControlResultAsync(db, batch.Id, requeued, cancellationToken));
    }

    private static async Task<BatchControlResult> ControlResultAsync(ScraperSkyDbContext db, Guid batchId, int affected, CancellationToken cancellationToken)
    {
        var counters = (await BatchReads.CountersAsync(db, batchId, cancellationToken))!;
        return new BatchControlResult(counters.BatchId, counters.Status, affected, counters.StatusUrl);
    }

    private static async Task<Results<Ok<BatchPage>, ProblemHttpResult>> ListBatchesAsync(
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "cursor")] string? cursor,
        [FromQuery(Name = "tenant_id")] Guid? tenantId,
        ClaimsPrincipal user,
        ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        if (RequestTenant.ForListing(user, tenantId) is not { } tenant)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        if (!Cursor.TryPage<Cursor.TextPosition>(limit, cursor, out var pageSize, out var after, out var problem))
        {
            return Problems.BadRequest(problem!);
        }

        var batches = db.BatchJobs.AsNoTracking().Where(b => b.TenantId == tenant);
        if (after is not null)
        {
            if (!DateTime.TryParse(after.Value, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var before))
            {
                return Problems.BadRequest(Cursor.NotThisListing);
            }

            batches = batches.Where(b => b.CreatedAt < before);
        }

        var page = await batches.OrderByDescending(b => b.CreatedAt).Take(pageSize + 1)
            .Select(b => new { b.Id, b.CreatedAt }).ToListAsync(cancellationToken);
        var shown = page.Take(pageSize).ToList();
        var counters = await BatchReads.CountersAsync(db, [.. shown.Select(b => b.Id)], cancellationToken);
        var next = page.Count > pageSize ? Cursor.Text(shown[^1].CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)) : null;
        return TypedResults.Ok(new BatchPage([.. shown.Select(b => counters[b.Id])], next));
    }

    /// The batch a request names, if it may see it: with a key only its tenant's, in local mode any.
    internal static Task<BatchJob?> FindAsync(string batchId, ClaimsPrincipal user, ScraperSkyDbContext db, CancellationToken cancellationToken) =>
        PublicIds.TryParse(batchId, BatchJob.PublicPrefix, out var id)
            ? StatusReads.BatchAsync(db, id.Value, RequestTenant.ReadScope(user), cancellationToken)
            : Task.FromResult<BatchJob?>(null);

    internal static string ResultsUrl(string publicId) => $"/api/v1/batch/{publicId}/results";

    internal static string EventsUrl(string publicId) => $"/api/v1/batch/{publicId}/events";

    private sealed class ResultSource
    {
        public int Row { get; init; }
        public required string Input { get; init; }
        public string? Cells { get; init; }
        public required string Domain { get; init; }
        public Guid JobId { get; init; }
        public JobStatus Status { get; init; }
        public string? Error { get; init; }
        public bool Started { get; init; }
        public ScanSource? Scan { get; init; }
    }

    private sealed class ScanSource
    {
        public DateTime ScannedAt { get; init; }
        public string? Result { get; init; }
    }
}
