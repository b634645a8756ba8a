using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Spreadsheets;
using ScraperSky.Scanning;
using ScraperSky.Server.OpenApi;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Domains;

/// What the latest scan of a domain found in its sitemaps. Tenant-scoped: with an API key, the key's tenant (a
/// `tenant_id` naming another is refused); in local mode, `tenant_id` or the default tenant. A domain the tenant never
/// scanned is a 404. Both lists also come as CSV (`?format=csv` or `Accept: text/csv`), streamed whole.
///
/// `/urls` lists URLs in `loc` order and pages with a cursor: `?limit=` (1 to 10,000, default 1,000) and `?cursor=`
/// taken from the previous page's `next_cursor` (opaque); a cursor stays valid while rows change, unlike page numbers,
/// and each page is one seek on the (tenant, domain, loc) index however deep it is.
public static class DomainSitemapEndpoints
{
    public const string NotFoundDetail = "Domain not found";
    public const int DefaultLimit = 1_000;
    public const int MaxLimit = 10_000;

    public static IEndpointRouteBuilder MapDomainSitemaps(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/domains/{domain}").WithTags("Domains").RequireAuthorization()
            .ProducesProblems(400, 401, 403, 404, 429)
            .ProducesFiles(TableFormat.Csv);
        group.MapGet("/sitemaps", GetSitemapsAsync).WithName("GetDomainSitemaps")
            .WithSummary("The sitemap files the latest scan of a domain read")
            .WithDescription("Every file tried, with its URL count, size and fetch time; a file that could not be read " +
                             "has its `error`. `format=csv` (or `Accept: text/csv`) streams the list.");
        group.MapGet("/urls", GetUrlsAsync).WithName("GetDomainUrls")
            .WithSummary("The URLs a domain's sitemaps list")
            .WithDescription("In `loc` order, cursor-paged by `limit` (1 to 10,000, default 1,000) and `cursor` " +
                             "(`next_cursor`); `format=csv` (or `Accept: text/csv`) streams every URL.");
        return endpoints;
    }

    private static async Task<Results<Ok<DomainSitemaps>, PushStreamHttpResult, ProblemHttpResult>> GetSitemapsAsync(
        string domain,
        [FromQuery(Name = "tenant_id")] Guid? tenantId,
        [FromQuery] string? format,
        HttpRequest request,
        ClaimsPrincipal user,
        ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        var (scope, problem) = await ResolveAsync(domain, tenantId, user, db, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (tenant, name) = scope;
        var files = db.SitemapFiles.AsNoTracking()
            .Where(f => f.TenantId == tenant && f.Domain == name)
            .OrderBy(f => f.CollectedAt).ThenBy(f => f.Url)
            .Select(f => new SitemapFileView(
                f.Id, f.Url, EnumNames.ToWire(f.Kind), EnumNames.ToWire(f.Discovery), f.ParentId, f.Bytes, f.Gzipped,
                f.UrlCount, f.HttpStatus, f.FetchMs, f.Truncated, f.Error, f.CollectedAt));
        if (WantsCsv(format, request))
        {
            return Csv(name, "sitemaps", files.AsAsyncEnumerable(), cancellationToken,
            [
                new("url", f => f.Url), new("type", f => f.Type), new("discovery", f => f.Discovery),
                new("parent_id", f => f.ParentId), new("bytes", f => f.Bytes), new("gzipped", f => f.Gzipped),
                new("url_count", f => f.UrlCount), new("http_status", f => f.HttpStatus), new("fetch_ms", f => f.FetchMs),
                new("truncated", f => f.Truncated), new("error", f => f.Error), new("id", f => f.Id),
            ]);
        }

        var list = await files.ToListAsync(cancellationToken);
        var urls = await db.SitemapUrls.LongCountAsync(u => u.TenantId == tenant && u.Domain == name, cancellationToken);
        return TypedResults.Ok(new DomainSitemaps(name, list.Count(f => SitemapSummary.CountsAsFile(f.HttpStatus)), urls, list));
    }

    private static async Task<Results<Ok<DomainUrls>, PushStreamHttpResult, ProblemHttpResult>> GetUrlsAsync(
        string domain,
        [FromQuery(Name = "tenant_id")] Guid? tenantId,
        [FromQuery] string? format,
        [FromQuery] string? cursor,
        [FromQuery] int? limit,
        HttpRequest request,
        ClaimsPrincipal user,
        ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        var (scope, problem) = await ResolveAsync(domain, tenantId, user, db, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (tenant, name) = scope;
        var urls = db.SitemapUrls.AsNoTracking().Where(u => u.TenantId == tenant && u.Domain == name).OrderBy(u => u.Loc);
        if (WantsCsv(format, request))
        {
            return Csv(name, "urls", urls.Select(u => new SitemapUrlView(
                    u.Loc, u.Lastmod, u.ChangeFreq, u.Priority, u.ImageCount, u.VideoCount, u.NewsCount, u.AlternateCount, u.FileId))
                .AsAsyncEnumerable(), cancellationToken,
            [
                new("loc", u => u.Loc), new("lastmod", u => u.Lastmod), new("changefreq", u => u.Changefreq),
                new("priority", u => u.Priority), new("image_count", u => u.ImageCount), new("video_count", u => u.VideoCount),
                new("news_count", u => u.NewsCount), new("alternate_count", u => u.AlternateCount),
            ]);
        }

        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            return BadRequest($"limit must be between 1 and {MaxLimit.ToString(CultureInfo.InvariantCulture)}.");
        }

        var after = "";
        if (cursor is not null && !TryDecodeCursor(cursor, out after))
        {
            return BadRequest("Invalid cursor.");
        }

        // One row more than asked tells whether another page follows.
        var rows = await urls.Where(u => string.Compare(u.Loc, after) > 0).Take(pageSize + 1)
            .Select(u => new SitemapUrlView(
                u.Loc, u.Lastmod, u.ChangeFreq, u.Priority, u.ImageCount, u.VideoCount, u.NewsCount, u.AlternateCount, u.FileId))
            .ToListAsync(cancellationToken);
        var total = await urls.LongCountAsync(cancellationToken);
        var next = rows.Count > pageSize ? EncodeCursor(rows[pageSize - 1].Loc) : null;
        return TypedResults.Ok(new DomainUrls(name, total, [.. rows.Take(pageSize)], next));
    }

    private static string EncodeCursor(string loc) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(loc));

    private static bool TryDecodeCursor(string cursor, out string loc)
    {
        loc = "";
        if (cursor.Length is 0 or > 4096)
        {
            return false;
        }

        try
        {
            loc = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return loc.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// As <see cref="DomainEndpoints.Resolve"/>, and a 404 unless the domain was scanned or has sitemap files.
    private static async Task<((Guid Tenant, string Domain) Scope, ProblemHttpResult? Problem)> ResolveAsync(
        string domain, Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db, CancellationToken cancellationToken)
    {
        var (scope, problem) = DomainEndpoints.Resolve(domain, tenantId, user);
        if (problem is not null)
        {
            return (default, problem);
        }

        var (tenant, name) = scope;
        var known = await db.Domains.AnyAsync(d => d.TenantId == tenant && d.Name == name, cancellationToken)
            || await db.SitemapFiles.AnyAsync(f => f.TenantId == tenant && f.Domain == name, cancellationToken);
        return known
            ? (scope, null)
            : (default, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: NotFoundDetail));
    }

    private static bool WantsCsv(string? format, HttpRequest request) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || (format is null && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)));

    // Rows go out as they are read, so a million URLs never sit in memory.
    private static PushStreamHttpResult Csv<T>(
        string domain, string what, IAsyncEnumerable<T> rows, CancellationToken cancellationToken, TableColumn<T>[] columns) =>
        TypedResults.Stream(
            body => TableWriter.WriteAsync(body, TableFormat.Csv, columns, rows, cancellationToken),
            TableFormat.Csv.ContentType(), domain + "-" + what + TableFormat.Csv.FileExtension());

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: detail);
}
