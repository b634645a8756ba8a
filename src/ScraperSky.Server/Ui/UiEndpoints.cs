using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using Scalar.AspNetCore;

namespace ScraperSky.Server.Ui;

/// The web UI: static pages and modules from `wwwroot` beside the server's binaries (so it works whatever the working
/// directory), the page routes the client-side router answers, and the API reference at `/docs`. Pages and scripts
/// are plain files; everything they show comes from the public `/api/v1` endpoints.
public static class UiEndpoints
{
    /// The browser paths that are pages of the UI, all served by `index.html`; anything else stays the API's 404.
    public static readonly string[] PageRoutes = ["/", "/batches", "/batches/{id}", "/domains", "/domains/{domain}", "/changes"];

    // Every asset is ours: nothing may load from or connect to another origin; images may also be blob: (favicons and
    // logos are fetched with the API key and shown from memory).
    private const string PagePolicy =
        "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplication MapUi(this WebApplication app)
    {
        var root = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = root,
            // Revalidated every time (ETag), so an upgraded server never runs yesterday's script.
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.CacheControl = "no-cache";
                context.Context.Response.Headers.ContentSecurityPolicy = PagePolicy;
            },
        });

        var index = root.GetFileInfo("index.html");
        foreach (var route in PageRoutes)
        {
            app.MapGet(route, (HttpResponse response) =>
            {
                response.Headers.CacheControl = "no-cache";
                response.Headers.ContentSecurityPolicy = PagePolicy;
                response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
                return index.Exists && index.PhysicalPath is { } path
                    ? Results.File(path, "text/html; charset=utf-8")
                    : Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: "The web UI's files are missing beside the server.");
            }).ExcludeFromDescription();
        }

        // Scalar ships its script inside the package; its default fonts, telemetry and request proxy would each reach
        // another origin, so all are off: the reference works offline.
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("ScraperSky API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .WithFavicon("/favicon.svg"))
            .ExcludeFromDescription();
        return app;
    }
}
