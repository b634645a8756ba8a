using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Changes;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Spreadsheets;
using ScraperSky.Scanning.Domains;
using ScraperSky.Server.Domains;
using ScraperSky.Server.Errors;
using ScraperSky.Server.Exports;
using ScraperSky.Server.OpenApi;
using ScraperSky.Server.Paging;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Changes;

/// What changed between consecutive scans: one domain's changes and the tenant's feed, newest first.
public static class ChangeEndpoints
{
    public static IEndpointRouteBuilder MapChanges(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1").WithTags("Changes").RequireAuthorization().ProducesProblems(400, 401, 403, 429);
        group.MapGet("/changes", ListChangesAsync).WithName("ListChanges")
            .WithSummary("The tenant's feed of changes between consecutive scans, newest first")
            .WithDescription("Filters `since` (detected at or after), `type` and `domain` combine with AND. Cursor-paged " +
                             "(`limit`, `cursor`, `next_cursor`); `format=csv|xlsx|jsonl` streams every matching change.")
            .ProducesFiles(TableFormat.Csv, TableFormat.Xlsx, TableFormat.Jsonl);
        group.MapGet("/domains/{domain}/changes", ListDomainChangesAsync).WithName("ListDomainChanges")
            .WithSummary("A domain's changes between consecutive scans, newest first")
            .WithDescription("The first scan of a domain records none. Filters `since` and `type`; cursor-paged; " +
                             "`format=csv|xlsx|jsonl` streams them all. 404 when the tenant never scanned the domain.")
            .ProducesProblems(404)
            .ProducesFiles(TableFormat.Csv, TableFormat.Xlsx, TableFormat.Jsonl);
        return endpoints;
    }

    private static async Task<Results<Ok<ChangePage>, PushStreamHttpResult, ProblemHttpResult>> ListChangesAsync(
        [AsParameters] ChangeQuery query, HttpRequest request, ClaimsPrincipal user, ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        if (RequestTenant.ForListing(user, query.TenantId) is not { } tenant)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        string? domain = null;
        if (query.Domain is not null)
        {
            if (!DomainName.TryNormalize(query.Domain, out var name))
            {
                return Problems.BadRequest($"Invalid domain format: {query.Domain}");
            }

            domain = name;
        }

        return await ListAsync(query, tenant, domain, request, db, "changes", cancellationToken);
    }

    private static async Task<Results<Ok<ChangePage>, PushStreamHttpResult, ProblemHttpResult>> ListDomainChangesAsync(
        string domain, [AsParameters] ChangeQuery query, HttpRequest request, ClaimsPrincipal user, ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        var (scope, problem) = DomainEndpoints.Resolve(domain, query.TenantId, user);
        if (problem is not null)
        {
            return problem;
        }

        if (!await db.Domains.AnyAsync(d => d.TenantId == scope.Tenant && d.Name == scope.Domain, cancellationToken))
        {
            return Problems.NotFound(DomainEndpoints.NotFoundDetail);
        }

        return await ListAsync(query, scope.Tenant, scope.Domain, request, db, $"{scope.Domain}-changes", cancellationToken);
    }

    private static async Task<Results<Ok<ChangePage>, PushStreamHttpResult, ProblemHttpResult>> ListAsync(
        ChangeQuery query, Guid tenant, string? domain, HttpRequest request, ScraperSkyDbContext db, string fileName,
        CancellationToken cancellationToken)
    {
        if (!TableFormats.TryResolve(query.Format, request.Headers.Accept.OfType<string>(), out var format))
        {
            return Problems.BadFormat();
        }

        if (query.Type is { } type && !ChangeTypes.All.Contains(type, StringComparer.Ordinal))
        {
            return Problems.BadRequest($"Query parameter 'type' must be one of {string.Join(", ", ChangeTypes.All)}.");
        }

        var ordered = ChangeSearch.Filter(db, tenant, new ChangeFilter { Domain = domain, Type = query.Type, Since = query.Since });
        if (format is { } file)
        {
            var rows = ordered.AsAsyncEnumerable().Select(ChangeView.Of);
            return TableResults.Stream(file, ChangeView.Columns, rows, fileName, cancellationToken);
        }

        if (!Cursor.TryPage<ChangePosition>(query.Limit, query.Cursor, out var limit, out var after, out var problem))
        {
            return Problems.BadRequest(problem!);
        }

        IQueryable<DomainChange> page = ordered;
        if (after is not null)
        {
            var id = after.Id;
            page = ordered.Where(c => c.Id < id);
        }

        var items = await page.Take(limit + 1).ToListAsync(cancellationToken);
        var next = items.Count > limit ? Cursor.Encode(new ChangePosition(items[limit - 1].Id)) : null;
        return TypedResults.Ok(new ChangePage([.. items.Take(limit).Select(ChangeView.Of)], next));
    }

    private sealed record ChangePosition(long Id);
}
