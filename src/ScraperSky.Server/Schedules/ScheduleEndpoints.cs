using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScraperSky.Data;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Schedules;
using ScraperSky.Server.Batches;
using ScraperSky.Server.Errors;
using ScraperSky.Server.OpenApi;
using ScraperSky.Server.Paging;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Schedules;

/// Scheduled re-scans of the tenant's domains. Each run is a batch the scheduler submits (see ScheduleRunner).
public static class ScheduleEndpoints
{
    public const string NotFoundDetail = "Schedule not found";

    public static IEndpointRouteBuilder MapSchedules(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/schedules").WithTags("Schedules").RequireAuthorization()
            .ProducesProblems(401, 403, 429);
        group.MapPost("", CreateScheduleAsync).WithName("CreateSchedule")
            .WithSummary("Re-scan domains on a schedule")
            .WithDescription("One target: `domains` (a list), `batch_id` (that batch's domains at each run) or `filter` " +
                             "(the filters of `GET /api/v1/domains` as fields, applied at each run); one timing: `every` " +
                             "(an ISO 8601 duration of at least PT1M) or `cron` (five fields, in `time_zone`, UTC by " +
                             "default); `max_pages` and `include_sitemaps` for every run. Each run is a batch, listed in " +
                             "`GET /api/v1/batches`; a run missed while no worker was up runs once when one is. 201 with " +
                             "the schedule and its `next_run_at`; a 400 names the field at fault.")
            .ProducesProblems(400, 422);
        group.MapGet("", ListSchedulesAsync).WithName("ListSchedules")
            .WithSummary("The tenant's schedules, newest first")
            .WithDescription("Cursor-paged (`limit`, `cursor`, `next_cursor`). Deleted schedules are not listed.")
            .ProducesProblems(400);
        group.MapGet("/{scheduleId}", GetScheduleAsync).WithName("GetSchedule")
            .WithSummary("One schedule: its target, timing and what its last run did")
            .WithDescription("`last_batch_id` is the newest run's batch; `last_error` says why the last due run scanned " +
                             "nothing (no domains, the previous run still going, a full queue) or that it was cut to " +
                             "`Jobs:MaxBatchSize`. Another tenant's schedule is a 404.")
            .ProducesProblems(404);
        group.MapDelete("/{scheduleId}", DeleteScheduleAsync).WithName("DeleteSchedule")
            .WithSummary("Stop a schedule")
            .WithDescription("204; no further runs start (batches already submitted go on). Another tenant's schedule " +
                             "is a 404.")
            .ProducesProblems(404);
        return endpoints;
    }

    public static string Url(string publicId) => $"/api/v1/schedules/{publicId}";

    private static async Task<Results<Created<ScheduleView>, ProblemHttpResult>> CreateScheduleAsync(
        ScheduleRequest request,
        ClaimsPrincipal user,
        RequestTenant requestTenant,
        ScraperSkyDbContext db,
        IOptions<JobOptions> jobOptions,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await requestTenant.ForSubmissionAsync(user, request.TenantId, cancellationToken) is not { } tenantId)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        // Whole microseconds, as PostgreSQL stores them, so the answer shows what a later read shows.
        var now = time.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % 10));
        var read = await ScheduleRequestReader.ReadAsync(request, tenantId, db, jobOptions.Value.MaxBatchSize, now, cancellationToken);
        if (read.Schedule is not { } schedule)
        {
            return Problems.BadRequest(read.Problem!);
        }

        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created(Url(schedule.PublicId), View(schedule));
    }

    private static async Task<Results<Ok<SchedulePage>, ProblemHttpResult>> ListSchedulesAsync(
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

        // Ids are version-7 UUIDs: newest first is descending id order, a stable key to page by.
        var schedules = db.Schedules.AsNoTracking().Where(s => s.TenantId == tenant && s.State != ScheduleState.Deleted);
        if (after is not null)
        {
            if (!Guid.TryParseExact(after.Value, "N", out var before))
            {
                return Problems.BadRequest(Cursor.NotThisListing);
            }

            schedules = schedules.Where(s => s.Id.CompareTo(before) < 0);
        }

        var page = await schedules.OrderByDescending(s => s.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? Cursor.Text(page[pageSize - 1].Id.ToString("N")) : null;
        return TypedResults.Ok(new SchedulePage([.. page.Take(pageSize).Select(View)], next));
    }

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> GetScheduleAsync(
        string scheduleId, [FromQuery(Name = "tenant_id")] Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        var schedule = Find(scheduleId, tenantId, user, db) is { } query
            ? await query.AsNoTracking().SingleOrDefaultAsync(cancellationToken)
            : null;
        return schedule is null ? Problems.NotFound(NotFoundDetail) : TypedResults.Ok(View(schedule));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteScheduleAsync(
        string scheduleId, [FromQuery(Name = "tenant_id")] Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // Kept as a row, not removed, so a run that holds it right now commits cleanly; it is simply never due again.
        var deleted = Find(scheduleId, tenantId, user, db) is { } schedule
            ? await schedule.ExecuteUpdateAsync(s => s
                .SetProperty(x => x.State, ScheduleState.Deleted)
                .SetProperty(x => x.DeletedAt, now), cancellationToken)
            : 0;
        return deleted == 0 ? Problems.NotFound(NotFoundDetail) : TypedResults.NoContent();
    }

    /// The live schedule the request names in its tenant, or null when the id is not one.
    private static IQueryable<Schedule>? Find(string scheduleId, Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db)
    {
        if (!PublicIds.TryParse(scheduleId, Schedule.PublicPrefix, out var id) || RequestTenant.ForListing(user, tenantId) is not { } tenant)
        {
            return null;
        }

        return db.Schedules.Where(s => s.Id == id && s.TenantId == tenant && s.State != ScheduleState.Deleted);
    }

    private static ScheduleView View(Schedule schedule)
    {
        var options = ScanJobOptions.FromJson(schedule.Options);
        var lastBatch = schedule.LastBatchId is { } b ? PublicIds.Format(BatchJob.PublicPrefix, b) : null;
        return new ScheduleView(
            schedule.PublicId,
            EnumNames.ToWire(schedule.State),
            schedule.SourceBatchId is null && schedule.Filter is null ? schedule.Domains : null,
            schedule.SourceBatchId is { } source ? PublicIds.Format(BatchJob.PublicPrefix, source) : null,
            schedule.Filter is { } filter ? FilterView(ScheduleFilter.FromJson(filter)) : null,
            schedule.Every,
            schedule.Cron,
            schedule.TimeZone,
            options.MaxPages,
            options.IncludeSitemaps,
            schedule.NextRunAt,
            schedule.LastRunAt,
            lastBatch,
            lastBatch is null ? null : BatchEndpoints.StatusUrl(lastBatch),
            schedule.LastError,
            schedule.RunCount,
            schedule.CreatedAt);
    }

    private static ScheduleFilterBody FilterView(DomainFilter filter) => new()
    {
        Q = filter.Text,
        Tech = filter.Technologies.Count == 0 ? null : filter.Technologies,
        Category = filter.Category,
        HasEmail = filter.HasEmail,
        HasPhone = filter.HasPhone,
        Language = filter.Language,
        Wordpress = filter.Wordpress,
        BatchId = filter.BatchId is { } b ? PublicIds.Format(BatchJob.PublicPrefix, b) : null,
        ScannedAfter = filter.ScannedAfter,
        Status = filter.Status is { } status ? EnumNames.ToWire(status) : null,
    };
}
