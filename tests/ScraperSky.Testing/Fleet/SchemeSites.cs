using System.Text;
using Microsoft.AspNetCore.Http;

namespace ScraperSky.Testing.Fleet;

/// Hosts whose answer depends on the scheme, registered in every fleet (over plain HTTP only, every https attempt
/// fails its handshake; with <see cref="TestSiteFleet.HttpsSettings"/> they behave as described):
///
///   https-only.test           http answers 301 to the same https URL; https serves Sites/https-only.test/;
///                             https /to-http answers 302 → http://http-only.test/
///   http-only.test            the TLS handshake is cut off; http serves Sites/http-only.test/;
///                             /to-https answers 301 → https://https-only.test/
///   badcert.test              a self-signed certificate
///   expired-cert.test         a certificate from the fleet's CA that has expired
///   wrong-name-cert.test      a certificate from the fleet's CA for another name
///   slow-handshake.test       accepts the TLS connection and never answers the handshake
///                             (these four serve a page titled "Served over http" or "Served over https")
///   https-to-loopback.test    https answers 302 → https://127.0.0.1/ (http redirects to https first)
///   https-to-metadata.test    https answers 302 → https://169.254.169.254/latest/meta-data/
public static class SchemeSites
{
    public static void MapAll(TestSiteFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        fleet.Map("https-only.test", context =>
        {
            if (!context.Request.IsHttps)
            {
                return UpgradeToHttps(context);
            }

            return context.Request.Path == "/to-http"
                ? Redirect(context, "http://http-only.test/", permanent: false)
                : fleet.ServeFixtureAsync(context);
        });

        fleet.SetTls("http-only.test", TlsMode.Refused);
        fleet.Map("http-only.test", context => context.Request.Path == "/to-https"
            ? Redirect(context, "https://https-only.test/", permanent: true)
            : fleet.ServeFixtureAsync(context));

        foreach (var (host, mode) in new[]
        {
            ("badcert.test", TlsMode.SelfSigned),
            ("expired-cert.test", TlsMode.Expired),
            ("wrong-name-cert.test", TlsMode.WrongName),
            ("slow-handshake.test", TlsMode.Hang),
        })
        {
            fleet.SetTls(host, mode);
            fleet.Map(host, ServeSchemePageAsync);
        }

        fleet.Map("https-to-loopback.test", context => context.Request.IsHttps
            ? Redirect(context, "https://127.0.0.1/", permanent: false)
            : UpgradeToHttps(context));
        fleet.Map("https-to-metadata.test", context => context.Request.IsHttps
            ? Redirect(context, "https://169.254.169.254/latest/meta-data/", permanent: false)
            : UpgradeToHttps(context));
    }

    /// The title of the page <see cref="ServeSchemePageAsync"/> sends over <paramref name="scheme"/>.
    public static string SchemePageTitle(string scheme) => $"Served over {scheme}";

    private static Task ServeSchemePageAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            $"<!doctype html><html><head><title>{SchemePageTitle(context.Request.Scheme)}</title></head><body></body></html>",
            Encoding.UTF8,
            context.RequestAborted);
    }

    private static Task UpgradeToHttps(HttpContext context) =>
        Redirect(context, $"https://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}", permanent: true);

    private static Task Redirect(HttpContext context, string location, bool permanent)
    {
        context.Response.Redirect(location, permanent);
        return Task.CompletedTask;
    }
}
