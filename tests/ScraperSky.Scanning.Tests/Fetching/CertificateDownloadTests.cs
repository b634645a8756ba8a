using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Scanning.Tests.Fetching;

/// Review finding 1: a certificate whose server leaves out the intermediate and names an AIA "CA Issuers" URL made
/// .NET's chain builder download that URL with its own HTTP client, outside the address guard. No connection may be
/// made outside <see cref="GuardedConnector"/>: the canary on loopback must see none.
public sealed class CertificateDownloadTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_certificate_naming_an_aia_url_makes_no_connection_outside_the_guard(bool extraRoots)
    {
        await using var canary = new ConnectionCanary();
        var host = $"aia-{(extraRoots ? "extra-roots" : "system")}-{Guid.NewGuid():N}.hostile.test";
        fixture.Fleet.SetCaIssuers(host, canary.Url("/intermediate.crt"));
        var settings = extraRoots
            ? fixture.Fleet.HttpsSettings
            : new Dictionary<string, string?> { ["Scanning:HostMap:test"] = fixture.Fleet.HttpsHostMapValue };
        using var services = fixture.CreateServices(settings);

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"https://{host}/"), Ct);

        Assert.Equal(0, canary.Connections);
        // Without its intermediate the certificate is not trusted: the handshake fails and the page comes over http.
        Assert.Equal(1, fixture.Fleet.HandshakesFor(host));
        Assert.Equal(new Uri($"http://{host}/"), page.FinalUrl);
    }
}
