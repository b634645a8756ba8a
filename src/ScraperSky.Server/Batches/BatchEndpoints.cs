using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Server.RateLimiting;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Batches;

public static class BatchEndpoints
{
    public const string NotFoundDetail = "Batch not found";
    public const string NoDomainsDetail = "No domains provided";

    public static IEndpointRouteBuilder MapBatches(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/batch").WithTags("Batches").RequireAuthorization();
        group.MapPost("", SubmitBatchAsync).WithName("SubmitBatch").RequireRateLimiting(RateLimitingExtensions.BatchSubmissions);
        group.MapGet("/status/{batchId}", GetBatchStatusAsync).WithName("GetBatchStatus");
        return endpoints;
    }

    public static string StatusUrl(string publicId) => $"/api/v1/batch/status/{publicId}";

    private static async Task<Results<Ok<BatchAccepted>, ProblemHttpResult>> SubmitBatchAsync(
        BatchSubmission request,
        ClaimsPrincipal user,
        RequestTenant requestTenant,
        JobSubmission submission,
        IOptions<JobOptions> jobOptions,
        CancellationToken cancellationToken)
    {
        if (request.Domains is null)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "Field 'domains' is required.");
        }

        if (request.MaxPages is < 1)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "Field 'max_pages' must be a positive integer.");
        }

        if (request.Domains.Count == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, NoDomainsDetail);
        }

        var limit = jobOptions.Value.MaxBatchSize;
        if (request.Domains.Count > limit)
        {
            return Problem(StatusCodes.Status400BadRequest,
                $"Too many domains: {request.Domains.Count} submitted, the limit is {limit} per batch.");
        }

        if (await requestTenant.ForSubmissionAsync(user, request.TenantId, cancellationToken) is not { } tenantId)
        {
            return Problem(StatusCodes.Status403Forbidden, RequestTenant.MismatchDetail);
        }

        var submitted = await submission.SubmitBatchAsync(
            tenantId, request.Domains, new ScanJobOptions { MaxPages = request.MaxPages, IncludeSitemaps = request.IncludeSitemaps }, cancellationToken);
        var publicId = submitted.Batch.PublicId;
        return TypedResults.Ok(new BatchAccepted(publicId, StatusUrl(publicId), submitted.JobCount));
    }

    private static async Task<Results<Ok<BatchStatusView>, ProblemHttpResult>> GetBatchStatusAsync(
        string batchId, ClaimsPrincipal user, ScraperSkyDbContext db, CancellationToken cancellationToken)
    {
        if (!PublicIds.TryParse(batchId, BatchJob.PublicPrefix, out var id))
        {
            return NotFound();
        }

        var scope = RequestTenant.ReadScope(user);
        var batch = await db.BatchJobs.AsNoTracking()
            .Where(b => b.Id == id && (scope == null || b.TenantId == scope))
            .Select(b => new { b.Id, b.CreatedAt, b.CompletedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (batch is null)
        {
            return NotFound();
        }

        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.BatchId == id)
            .OrderBy(j => j.Id)
            .Select(j => new { j.Id, j.Domain, j.Status, j.Error, j.StartedAt, j.CompletedAt })
            .ToListAsync(cancellationToken);

        // The counters come from the job rows themselves, so they always agree with the list below.
        var completed = jobs.Count(j => j.Status == JobStatus.Completed);
        var failed = jobs.Count(j => j.Status == JobStatus.Failed);
        var anyStarted = jobs.Any(j => j.Status == JobStatus.Running || j.StartedAt != null);
        var status = BatchJob.StatusFor(jobs.Count, completed, failed, anyStarted);
        var ended = completed + failed == jobs.Count;
        var completedAt = ended ? batch.CompletedAt ?? jobs.Max(j => j.CompletedAt) : null;
        var entries = jobs
            .Select(j => new BatchJobEntry(
                j.Domain,
                PublicIds.Format(Job.PublicPrefix, j.Id),
                EnumNames.ToWire(j.Status),
                j.Status == JobStatus.Failed ? j.Error ?? JobQueue.FailedMessage : null))
            .ToList();
        return TypedResults.Ok(new BatchStatusView(
            PublicIds.Format(BatchJob.PublicPrefix, batch.Id),
            EnumNames.ToWire(status),
            batch.CreatedAt,
            completedAt,
            jobs.Count,
            completed,
            failed,
            entries));
    }

    private static ProblemHttpResult NotFound() => Problem(StatusCodes.Status404NotFound, NotFoundDetail);

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(statusCode: status, detail: detail);
}
