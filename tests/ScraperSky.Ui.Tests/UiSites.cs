using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Ui.Tests;

/// Fleet sites made for the UI tests, any number of them by name:
/// - `<name>.shop.ui.test`: a WordPress shop titled "<Name> Shop" with an email, a phone, a PNG favicon and an SVG logo;
/// - `<name>.plain.ui.test`: a German page titled "<Name> Plain" with nothing to contact;
/// - `<name>.badicon.ui.test`: a page whose declared icon is an HTML page;
/// - `<name>.slow.ui.test`: a homepage that answers only once <see cref="ReleaseSlowSites"/> is called (or after a minute).
internal sealed class UiSites
{
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" fill="#c00"/></svg>""";

    private TaskCompletionSource _slowRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void MapAll(TestSiteFleet fleet)
    {
        fleet.Map("*.shop.ui.test", ShopAsync);
        fleet.Map("*.plain.ui.test", PlainAsync);
        fleet.Map("*.badicon.ui.test", BadIconAsync);
        fleet.Map("*.slow.ui.test", SlowAsync);
    }

    public void ReleaseSlowSites()
    {
        _slowRelease.TrySetResult();
        _slowRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public static string NameOf(string host) =>
        CultureInfo.InvariantCulture.TextInfo.ToTitleCase(host.Split('.')[0]);

    private static Task ShopAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        return context.Request.Path.Value switch
        {
            "/" => HtmlAsync(context, $$"""
                <!doctype html><html lang="en"><head><meta charset="utf-8">
                <title>{{NameOf(host)}} Shop</title>
                <meta name="description" content="Everything {{NameOf(host)}} sells.">
                <meta name="generator" content="WordPress 6.4.2">
                <link rel="icon" href="/icon.png" type="image/png">
                <script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization","name":"{{NameOf(host)}} Ltd","logo":"http://{{host}}/logo.svg"}</script>
                </head><body><header><img class="custom-logo" src="/logo.svg" alt="logo"></header>
                <p>Write to <a href="mailto:sales@{{host}}">sales@{{host}}</a> or call <a href="tel:+442079460018">+44 20 7946 0018</a>.</p>
                <script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>
                </body></html>
                """),
            "/icon.png" => BytesAsync(context, "image/png", Png),
            "/logo.svg" => BytesAsync(context, "image/svg+xml", System.Text.Encoding.UTF8.GetBytes(Svg)),
            _ => NotFoundAsync(context),
        };
    }

    private static Task PlainAsync(HttpContext context) => context.Request.Path.Value == "/"
        ? HtmlAsync(context, $"""
            <!doctype html><html lang="de"><head><meta charset="utf-8"><title>{NameOf(context.Request.Host.Host)} Plain</title></head>
            <body><p>Eine schlichte Seite ohne Kontaktangaben.</p></body></html>
            """)
        : NotFoundAsync(context);

    private static Task BadIconAsync(HttpContext context) => context.Request.Path.Value switch
    {
        "/" => HtmlAsync(context, $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{NameOf(context.Request.Host.Host)} Bad Icon</title>
            <link rel="icon" href="/icon.png"></head><body><p>Icon is a page.</p></body></html>
            """),
        "/icon.png" => BytesAsync(context, "image/png", "<!doctype html><title>Not an icon</title>"u8.ToArray()),
        _ => NotFoundAsync(context),
    };

    private async Task SlowAsync(HttpContext context)
    {
        if (context.Request.Path.Value != "/")
        {
            await NotFoundAsync(context);
            return;
        }

        var release = _slowRelease.Task;
        await Task.WhenAny(release, Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted));
        await HtmlAsync(context, $"<!doctype html><html lang=\"en\"><head><title>{NameOf(context.Request.Host.Host)} Slow</title></head><body>late</body></html>");
    }

    private static Task HtmlAsync(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static Task BytesAsync(HttpContext context, string contentType, byte[] bytes)
    {
        context.Response.ContentType = contentType;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = (int)HttpStatusCode.NotFound;
        return Task.CompletedTask;
    }
}
