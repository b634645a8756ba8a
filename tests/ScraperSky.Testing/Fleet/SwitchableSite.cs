namespace ScraperSky.Testing.Fleet;

/// A fleet host whose content is switched between versions during a test: it serves the fixture folder
/// `Sites/&lt;host&gt;/&lt;version&gt;/`, and <see cref="Version"/> picks the folder for the next request.
public sealed class SwitchableSite
{
    private volatile string _version;

    private SwitchableSite(string host, string version)
    {
        Host = host;
        _version = version;
    }

    public string Host { get; }

    public string Version
    {
        get => _version;
        set => _version = value;
    }

    /// Serves <paramref name="host"/> from its version folders, starting with <paramref name="version"/>.
    public static SwitchableSite Map(TestSiteFleet fleet, string host, string version)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var site = new SwitchableSite(host, version);
        fleet.Map(host, context => fleet.ServeFixtureAsync(context, $"{host}/{site.Version}"));
        return site;
    }
}
