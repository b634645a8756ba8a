using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Domains;
using ScraperSky.Server.OpenApi;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Scans;

public static class ScanEndpoints
{
    public const string NotFoundDetail = "Job not found";

    public static IEndpointRouteBuilder MapScans(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1").WithTags("Scans").RequireAuthorization().ProducesProblems(401, 429);
        group.MapPost("/scrapersky", SubmitScanAsync).WithName("SubmitScan")
            .WithSummary("Scan one domain")
            .WithDescription("Queues a scan of `base_url` (a domain or a URL; the host is what is scanned) and answers at " +
                             "once with the job id and its status URL. `max_pages` bounds the pages read; " +
                             "`include_sitemaps: false` skips the sitemaps. 429 when the tenant's queue is full.")
            .ProducesProblems(400, 403, 422);
        group.MapGet("/status/{jobId}", GetScanStatusAsync).WithName("GetScanStatus")
            .WithSummary("A scan's status, progress and result")
            .WithDescription("`metadata` is the scan's full result once `status` is `completed` (null before); `error` " +
                             "says why a `failed` scan failed.")
            .ProducesProblems(404);
        return endpoints;
    }

    public static string StatusUrl(string publicId) => $"/api/v1/status/{publicId}";

    private static async Task<Results<Ok<ScanAccepted>, ProblemHttpResult>> SubmitScanAsync(
        ScanSubmission request,
        ClaimsPrincipal user,
        RequestTenant requestTenant,
        JobSubmission submission,
        CancellationToken cancellationToken)
    {
        if (request.BaseUrl is null)
        {
            return Unprocessable("Field 'base_url' is required.");
        }

        if (request.MaxPages is < 1)
        {
            return Unprocessable("Field 'max_pages' must be a positive integer.");
        }

        if (!DomainName.TryNormalize(request.BaseUrl, out var domain))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"Invalid domain format: {request.BaseUrl}");
        }

        if (await requestTenant.ForSubmissionAsync(user, request.TenantId, cancellationToken) is not { } tenantId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: RequestTenant.MismatchDetail);
        }

        var job = await submission.SubmitScanAsync(
            tenantId, domain, new ScanJobOptions { MaxPages = request.MaxPages, IncludeSitemaps = request.IncludeSitemaps }, cancellationToken);
        return TypedResults.Ok(new ScanAccepted(job.PublicId, StatusUrl(job.PublicId)));
    }

    private static async Task<Results<Ok<ScanStatus>, CompletedStatusResult, ProblemHttpResult>> GetScanStatusAsync(
        string jobId, ClaimsPrincipal user, CompletedScanStatuses completed, HttpContext context, CancellationToken cancellationToken)
    {
        if (!PublicIds.TryParse(jobId, Job.PublicPrefix, out var id))
        {
            return NotFound();
        }

        var scope = RequestTenant.ReadScope(user);
        if (completed.Find(id.Value, scope) is { } kept)
        {
            return new CompletedStatusResult(kept);
        }

        // Resolved only now: a pooled context is leased and reset even when a request leaves it unused.
        var db = context.RequestServices.GetRequiredService<ScraperSkyDbContext>();
        var job = await StatusReads.JobAsync(db, id.Value, scope, cancellationToken);
        if (job is null)
        {
            return NotFound();
        }

        var ended = job.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
        // The result only for a completed job, once: its answer is kept from then on. A job read as completed has its
        // result already (both are written in one transaction).
        var result = job.Status == JobStatus.Completed ? await FindResultAsync(db, job.Id, cancellationToken) : null;
        var status = new ScanStatus(
            PublicIds.Format(Job.PublicPrefix, job.Id),
            EnumNames.ToWire(job.Status),
            job.CreatedAt,
            ended ? job.CompletedAt : null,
            job.Status == JobStatus.Completed ? StoredJson.From(result) : null,
            job.Status == JobStatus.Failed ? job.Error ?? JobQueue.FailedMessage : null,
            new ScanProgressView(
                job.ProgressStep ?? DefaultStep(job.Status),
                job.ProgressMessage ?? ""),
            job.Domain);
        return job.Status == JobStatus.Completed
            ? new CompletedStatusResult(completed.Add(job.Id, job.TenantId, status))
            : TypedResults.Ok(status);
    }

    // The job's row alone (StatusReads.JobAsync) is what a client polling a pending or running scan costs, on every
    // poll: one primary-key read. The result (from the domain's history) is read apart, once: as a correlated subquery
    // of every poll it was parsed and planned again each time (SQLite prepares every statement anew) for jobs that have
    // none yet.
    //
    // Compiled once per model: building and looking up a query's expression tree cost more than running it. A compiled
    // query refuses a model other than the one it was compiled for, and a process may hold several (SQLite and
    // PostgreSQL hosts in the tests), so there is one per model. Everything a query reads is a parameter of its lambda
    // (the context too): no request's values are captured in it.
    private static readonly ConditionalWeakTable<IModel, Func<ScraperSkyDbContext, Guid, CancellationToken, Task<string?>>> ResultQueries = [];

    // The result lives in the domain's history; a retried job may have ended more than once.
    private static Task<string?> FindResultAsync(ScraperSkyDbContext db, Guid jobId, CancellationToken cancellationToken) =>
        ResultQueries.GetValue(db.Model, static _ => EF.CompileAsyncQuery((ScraperSkyDbContext db, Guid jobId, CancellationToken _) =>
            db.DomainScans.AsNoTracking()
                .Where(s => s.JobId == jobId && s.Status == JobStatus.Completed)
                .OrderByDescending(s => s.ScannedAt)
                .Select(s => s.Result)
                .FirstOrDefault()))(db, jobId, cancellationToken);

    private static string DefaultStep(JobStatus status) => status switch
    {
        JobStatus.Completed => ScanSteps.Completed,
        JobStatus.Failed => ScanSteps.Failed,
        JobStatus.Cancelled => JobQueue.CancelledStep,
        _ => ScanSteps.Starting,
    };

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: NotFoundDetail);

    private static ProblemHttpResult Unprocessable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, detail: detail);
}
