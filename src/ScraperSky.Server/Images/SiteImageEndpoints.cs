using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using ScraperSky.Data;
using ScraperSky.Server.Domains;
using ScraperSky.Server.Errors;
using ScraperSky.Server.OpenApi;

namespace ScraperSky.Server.Images;

/// A scanned domain's favicon and logo, served from this server so that a page showing them never loads anything from
/// the site itself. Tenant-scoped like the other domain reads: another tenant's domain is 404.
public static class SiteImageEndpoints
{
    // An SVG opened on its own is a document: no script, no outside loads, no plugins, in a sandbox.
    private const string SvgPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    private static readonly string[] ImageTypes =
        [.. new[] { ImageKind.Png, ImageKind.Jpeg, ImageKind.Gif, ImageKind.Webp, ImageKind.Icon, ImageKind.Bmp, ImageKind.Avif, ImageKind.Svg }.Select(k => k.ContentType)];

    public static WebApplicationBuilder AddSiteImages(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SiteImageFetcher>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSiteImages(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/domains").WithTags("Domains").RequireAuthorization()
            .ProducesProblems(400, 401, 403, 404, 429, 502);
        group.MapGet("/{domain}/favicon", GetFaviconAsync).WithName("GetDomainFavicon")
            .WithSummary("The domain's favicon, fetched from the site and cached")
            .WithDescription("The icon the newest scan found (`favicon_url`), fetched through the scanner's guarded fetcher " +
                             "and served as PNG, JPEG, GIF, WebP, ICO, BMP, AVIF or SVG (SVG with a restrictive " +
                             "Content-Security-Policy). 404 when the scan found none; 502 when the site's answer was " +
                             "not an image or could not be read.")
            .Produces<Stream>(StatusCodes.Status200OK, ImageTypes[0], ImageTypes[1..]);
        group.MapGet("/{domain}/logo", GetLogoAsync).WithName("GetDomainLogo")
            .WithSummary("The domain's logo, fetched from the site and cached")
            .WithDescription("As the favicon, for `logo_url`.")
            .Produces<Stream>(StatusCodes.Status200OK, ImageTypes[0], ImageTypes[1..]);
        return endpoints;
    }

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> GetFaviconAsync(
        string domain, [FromQuery(Name = "tenant_id")] Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db,
        SiteImageFetcher images, HttpResponse response, CancellationToken cancellationToken) =>
        ServeAsync(domain, tenantId, user, db, images, response, favicon: true, cancellationToken);

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> GetLogoAsync(
        string domain, [FromQuery(Name = "tenant_id")] Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db,
        SiteImageFetcher images, HttpResponse response, CancellationToken cancellationToken) =>
        ServeAsync(domain, tenantId, user, db, images, response, favicon: false, cancellationToken);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ServeAsync(
        string domain, Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db, SiteImageFetcher images,
        HttpResponse response, bool favicon, CancellationToken cancellationToken)
    {
        var (scope, problem) = DomainEndpoints.Resolve(domain, tenantId, user);
        if (problem is not null)
        {
            return problem;
        }

        var found = await db.Domains.AsNoTracking().Where(d => d.TenantId == scope.Tenant && d.Name == scope.Domain)
            .Select(d => new { Url = favicon ? d.FaviconUrl : d.LogoUrl }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Problems.NotFound(DomainEndpoints.NotFoundDetail);
        }

        var what = favicon ? "favicon" : "logo";
        if (!Uri.TryCreate(found.Url, UriKind.Absolute, out var url))
        {
            return Problems.NotFound($"The newest scan of {scope.Domain} found no {what}.");
        }

        var image = await images.GetAsync(url, cancellationToken);
        if (image.Bytes is null || image.Kind is null)
        {
            return Problems.Status(StatusCodes.Status502BadGateway, $"The {what} of {scope.Domain} could not be served: {image.Failure}");
        }

        // Private: the answer depends on the caller's tenant. Revalidated hourly, like the server's own cache.
        response.Headers.CacheControl = "private, max-age=3600";
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        if (image.Kind.IsSvg)
        {
            response.Headers.ContentSecurityPolicy = SvgPolicy;
        }

        return TypedResults.File(image.Bytes, image.Kind.ContentType);
    }
}
