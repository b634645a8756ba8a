using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Testing.Fleet;

[assembly: AssemblyFixture(typeof(ScraperSky.Scanning.Tests.FleetFixture))]

namespace ScraperSky.Scanning.Tests;

/// One test-site fleet for the whole test assembly, and scanner services wired to it through `Scanning:HostMap:test`
/// (real sockets on loopback; nothing else is mapped). Timeouts are short so hostile hosts fail fast.
public sealed class FleetFixture : IAsyncLifetime
{
    public TestSiteFleet Fleet { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Fleet = await TestSiteFleet.StartAsync();

    public ValueTask DisposeAsync() => Fleet.DisposeAsync();

    public ServiceProvider CreateServices(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Scanning:HostMap:test"] = Fleet.HostMapValue,
            ["Scanning:ConnectTimeout"] = "00:00:02",
            ["Scanning:ResponseTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddScanning(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
