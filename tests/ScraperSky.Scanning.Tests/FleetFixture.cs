using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Testing.Dns;
using ScraperSky.Testing.Fleet;

[assembly: AssemblyFixture(typeof(ScraperSky.Scanning.Tests.FleetFixture))]

namespace ScraperSky.Scanning.Tests;

/// One test-site fleet for the whole test assembly, and scanner services wired to it through `Scanning:HostMap:test`
/// (real sockets on loopback; nothing else is mapped). Timeouts are short so hostile hosts fail fast. MX checks ask
/// <see cref="Dns"/>, which knows the email domains of the fleet's contact fixtures (every other name is NXDOMAIN).
public sealed class FleetFixture : IAsyncLifetime
{
    public TestSiteFleet Fleet { get; private set; } = null!;

    public TestDnsServer Dns { get; } = new TestDnsServer()
        .Add("sonnenschein-brot.de", mx: [(10, "mx1.sonnenschein-brot.de")])
        .Add("sonnenschein-presse.de", mx: [(0, ".")])
        .Add("sonnenschein-karriere.de", a: ["192.0.2.10"])
        .Add("atelier-lumiere.fr", mx: [(10, "mx.mail-provider.fr"), (20, "mx2.mail-provider.fr")])
        .Add("alpenblick-hotel.at", mx: [(5, "mail.alpenblick-hotel.at")]);

    public async ValueTask InitializeAsync() => Fleet = await TestSiteFleet.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await Fleet.DisposeAsync();
        await Dns.DisposeAsync();
    }

    /// <paramref name="replace"/> registers services ahead of the scanner's own, which then stand aside.
    public ServiceProvider CreateServices(IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? replace = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Scanning:HostMap:test"] = Fleet.HostMapValue,
            ["Scanning:ConnectTimeout"] = "00:00:02",
            ["Scanning:ResponseTimeout"] = "00:00:05",
            ["Scanning:DnsServer"] = Dns.Endpoint,
            ["Scanning:DnsTimeout"] = "00:00:01",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        replace?.Invoke(services);
        return services
            .AddScanning(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
