using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Spreadsheets;
using ScraperSky.Scanning.Domains;
using ScraperSky.Server.Errors;
using ScraperSky.Server.Exports;
using ScraperSky.Server.OpenApi;
using ScraperSky.Server.Paging;
using ScraperSky.Server.Scans;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Domains;

/// The tenant's scanned domains: search, one domain's facts and history, rescans. Tenant-scoped like every read:
/// with an API key the key's tenant (a `tenant_id` naming another is 403), in local mode `tenant_id` or the default.
public static class DomainEndpoints
{
    public const string NotFoundDetail = "Domain not found";

    public static IEndpointRouteBuilder MapDomains(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/domains").WithTags("Domains").RequireAuthorization()
            .ProducesProblems(401, 403, 429);
        group.MapGet("", ListDomainsAsync).WithName("ListDomains")
            .WithSummary("Search the scanned domains")
            .WithDescription("Filters combine with AND; `tech` may be repeated. Cursor-paged (`limit`, `cursor`, " +
                             "`next_cursor`); `format=csv|xlsx|jsonl` (or `Accept`) streams every matching domain.")
            .ProducesProblems(400)
            .ProducesFiles(TableFormat.Csv, TableFormat.Xlsx, TableFormat.Jsonl);
        group.MapGet("/{domain}", GetDomainAsync).WithName("GetDomain")
            .WithSummary("One domain: its current facts and the newest completed scan's full metadata")
            .WithDescription("`metadata` is what `GET /api/v1/status/{jobId}` shows for that scan; `technologies_seen` " +
                             "gives each technology's `first_seen` and `last_seen`. 404 when the tenant never scanned the domain.")
            .ProducesProblems(400, 404);
        group.MapGet("/{domain}/scans", ListScansAsync).WithName("ListDomainScans")
            .WithSummary("A domain's scan history, newest first")
            .WithDescription("Cursor-paged; `format=csv|xlsx|jsonl` streams the whole history.")
            .ProducesProblems(400, 404)
            .ProducesFiles(TableFormat.Csv, TableFormat.Xlsx, TableFormat.Jsonl);
        group.MapPost("/{domain}/rescan", RescanAsync).WithName("RescanDomain")
            .WithSummary("Queue a new scan of a domain")
            .WithDescription("The body (`max_pages`, `include_sitemaps`) may be left out. Answers as " +
                             "`POST /api/v1/scrapersky` does; 404 when the tenant never scanned the domain.")
            .ProducesProblems(400, 404, 422);
        return endpoints;
    }

    private static async Task<Results<Ok<DomainPage>, PushStreamHttpResult, ProblemHttpResult>> ListDomainsAsync(
        [AsParameters] DomainQuery query, HttpRequest request, ClaimsPrincipal user, ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        if (RequestTenant.ForListing(user, query.TenantId) is not { } tenant)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        if (!TableFormats.TryResolve(query.Format, request.Headers.Accept.OfType<string>(), out var format))
        {
            return Problems.BadFormat();
        }

        var sort = DomainSort.Domain;
        if (query.Sort is not null && !DomainSearch.SortNames.TryGetValue(query.Sort, out sort))
        {
            return Problems.BadRequest($"Query parameter 'sort' must be one of {string.Join(", ", DomainSearch.SortNames.Keys)}.");
        }

        JobStatus? status = null;
        if (query.Status is not null)
        {
            if (!Enum.TryParse<JobStatus>(query.Status, ignoreCase: true, out var parsed) || parsed is not (JobStatus.Completed or JobStatus.Failed))
            {
                return Problems.BadRequest("Query parameter 'status' must be completed or failed.");
            }

            status = parsed;
        }

        Guid? batchId = null;
        if (query.BatchId is not null)
        {
            if (!PublicIds.TryParse(query.BatchId, BatchJob.PublicPrefix, out var parsedBatch))
            {
                return Problems.BadRequest("Query parameter 'batch_id' is not a batch id.");
            }

            batchId = parsedBatch;
        }

        var filter = new DomainFilter
        {
            Text = query.Q,
            Technologies = query.Tech ?? [],
            Category = query.Category,
            HasEmail = query.HasEmail,
            HasPhone = query.HasPhone,
            Language = query.Language,
            Wordpress = query.Wordpress,
            BatchId = batchId,
            ScannedAfter = query.ScannedAfter?.ToUniversalTime(),
            Status = status,
        };
        var matching = DomainSearch.Filter(db, tenant, filter).AsNoTracking();
        if (format is { } file)
        {
            var rows = DomainSearch.Page(matching, sort, null).Select(DomainRecord.FromRow).AsAsyncEnumerable();
            return TableResults.Stream(file, ResultColumns.Domains, rows, "domains", cancellationToken);
        }

        if (!Cursor.TryPage<DomainPosition>(query.Limit, query.Cursor, out var limit, out var after, out var problem))
        {
            return Problems.BadRequest(problem!);
        }

        var page = await DomainSearch.Page(matching, sort, after).Take(limit + 1).Select(DomainRecord.FromRow)
            .ToListAsync(cancellationToken);
        var next = page.Count > limit ? Cursor.Encode(DomainSearch.PositionOf(page[limit - 1], sort)) : null;
        return TypedResults.Ok(new DomainPage([.. page.Take(limit).Select(r => DomainView.From(r))], next));
    }

    private static async Task<Results<Ok<DomainView>, ProblemHttpResult>> GetDomainAsync(
        string domain, [FromQuery(Name = "tenant_id")] Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        var (scope, problem) = Resolve(domain, tenantId, user);
        if (problem is not null)
        {
            return problem;
        }

        var record = await db.Domains.AsNoTracking().Where(d => d.TenantId == scope.Tenant && d.Name == scope.Domain)
            .Select(DomainRecord.FromRow).SingleOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            return Problems.NotFound(NotFoundDetail);
        }

        var result = await db.DomainScans.AsNoTracking()
            .Where(s => s.TenantId == scope.Tenant && s.Domain == scope.Domain && s.Status == JobStatus.Completed)
            .OrderByDescending(s => s.ScannedAt).Select(s => s.Result).FirstOrDefaultAsync(cancellationToken);
        var seen = await db.DomainTechnologies.AsNoTracking()
            .Where(t => t.TenantId == scope.Tenant && t.Domain == scope.Domain)
            .OrderBy(t => t.Name).Select(t => new TechnologySeen(t.Name, t.FirstSeenAt, t.LastSeenAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(DomainView.From(record, ScanResults.Element(result), seen));
    }

    private static async Task<Results<Ok<DomainScanPage>, PushStreamHttpResult, ProblemHttpResult>> ListScansAsync(
        string domain,
        [FromQuery(Name = "tenant_id")] Guid? tenantId,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "cursor")] string? cursor,
        [FromQuery(Name = "format")] string? format,
        HttpRequest request,
        ClaimsPrincipal user,
        ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        var (scope, problem) = Resolve(domain, tenantId, user);
        if (problem is not null)
        {
            return problem;
        }

        if (!TableFormats.TryResolve(format, request.Headers.Accept.OfType<string>(), out var file))
        {
            return Problems.BadFormat();
        }

        if (!await db.Domains.AnyAsync(d => d.TenantId == scope.Tenant && d.Name == scope.Domain, cancellationToken))
        {
            return Problems.NotFound(NotFoundDetail);
        }

        // Newest first; two scans of one domain never end in the same microsecond, so the time alone is the key.
        var scans = db.DomainScans.AsNoTracking()
            .Where(s => s.TenantId == scope.Tenant && s.Domain == scope.Domain)
            .OrderByDescending(s => s.ScannedAt).ThenByDescending(s => s.Id);
        if (file is { } tableFormat)
        {
            var rows = scans.Select(s => new { s.Id, s.JobId, s.BatchId, s.Status, s.Error, s.ScannedAt, s.Result })
                .AsAsyncEnumerable()
                .Select(s => new ScanRecord(s.Id, s.JobId, s.BatchId, s.Status, s.Error, s.ScannedAt, ScanResults.Facts(s.Result)));
            return TableResults.Stream(tableFormat, ResultColumns.Scans, rows, $"{scope.Domain}-scans", cancellationToken);
        }

        if (!Cursor.TryPage<ScanPosition>(limit, cursor, out var pageSize, out var after, out var pageProblem))
        {
            return Problems.BadRequest(pageProblem!);
        }

        IQueryable<DomainScan> page = scans;
        if (after is not null)
        {
            var time = after.ScannedAt;
            page = scans.Where(s => s.ScannedAt < time);
        }

        var items = await page.Take(pageSize + 1)
            .Select(s => new { s.Id, s.JobId, s.BatchId, s.Status, s.Error, s.ScannedAt, s.Result })
            .ToListAsync(cancellationToken);
        var next = items.Count > pageSize ? Cursor.Encode(new ScanPosition(items[pageSize - 1].ScannedAt)) : null;
        var views = items.Take(pageSize).Select(s =>
        {
            var jobId = PublicIds.Format(Job.PublicPrefix, s.JobId);
            return new DomainScanView(
                s.Id.ToString("N"), jobId, s.BatchId is { } b ? PublicIds.Format(BatchJob.PublicPrefix, b) : null,
                EnumNames.ToWire(s.Status), s.Error, s.ScannedAt, ScanEndpoints.StatusUrl(jobId), ScanResults.Facts(s.Result));
        }).ToList();
        return TypedResults.Ok(new DomainScanPage(scope.Domain, views, next));
    }

    private static async Task<Results<Ok<ScanAccepted>, ProblemHttpResult>> RescanAsync(
        string domain,
        [FromBody] RescanRequest? body,
        [FromQuery(Name = "tenant_id")] Guid? tenantId,
        ClaimsPrincipal user,
        ScraperSkyDbContext db,
        JobSubmission submission,
        CancellationToken cancellationToken)
    {
        var (scope, problem) = Resolve(domain, tenantId, user);
        if (problem is not null)
        {
            return problem;
        }

        if (body?.MaxPages is < 1)
        {
            return Problems.Unprocessable("Field 'max_pages' must be a positive integer.");
        }

        if (!await db.Domains.AnyAsync(d => d.TenantId == scope.Tenant && d.Name == scope.Domain, cancellationToken))
        {
            return Problems.NotFound(NotFoundDetail);
        }

        var job = await submission.SubmitScanAsync(scope.Tenant, scope.Domain,
            new ScanJobOptions { MaxPages = body?.MaxPages, IncludeSitemaps = body?.IncludeSitemaps }, cancellationToken);
        return TypedResults.Ok(new ScanAccepted(job.PublicId, ScanEndpoints.StatusUrl(job.PublicId)));
    }

    /// The tenant and normalised name a domain request is about, or the problem with it.
    internal static ((Guid Tenant, string Domain) Scope, ProblemHttpResult? Problem) Resolve(string domain, Guid? tenantId, ClaimsPrincipal user)
    {
        if (!DomainName.TryNormalize(domain, out var name))
        {
            return (default, Problems.BadRequest($"Invalid domain format: {domain}"));
        }

        return RequestTenant.ForListing(user, tenantId) is { } tenant
            ? ((tenant, name), null)
            : (default, Problems.Forbidden(RequestTenant.MismatchDetail));
    }

    private sealed record ScanPosition(DateTime ScannedAt);
}
