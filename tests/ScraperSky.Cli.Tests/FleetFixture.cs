using ScraperSky.Testing.Fleet;

namespace ScraperSky.Cli.Tests;

/// One test-site fleet for the whole class.
public sealed class FleetFixture : IAsyncLifetime
{
    public TestSiteFleet Fleet { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Fleet = await TestSiteFleet.StartAsync();

    public async ValueTask DisposeAsync() => await Fleet.DisposeAsync();
}
