using ScraperSky.Testing.Fleet;
using ScraperSky.Testing.Processes;

namespace ScraperSky.Cli.Tests;

/// The fleet with `acme.switch.test`, whose content a test switches between its `v1` and `v2` fixtures.
public sealed class SwitchFleetFixture : IAsyncLifetime
{
    public TestSiteFleet Fleet { get; private set; } = null!;
    public SwitchableSite Acme { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Fleet = await TestSiteFleet.StartAsync();
        Acme = SwitchableSite.Map(Fleet, "acme.switch.test", "v1");
    }

    public async ValueTask DisposeAsync() => await Fleet.DisposeAsync();
}

/// `changes` after two scans of a switched site, on the local database and through a server.
public sealed class ChangesCommandTests(SwitchFleetFixture fixture) : IClassFixture<SwitchFleetFixture>, IAsyncLifetime
{
    private const string VersionChange = "tech_version_changed\ttechnologies\tWordPress 6.4.3\tWordPress 6.5.2";
    private readonly CliWorkspace _workspace = new(fixture.Fleet);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changes_lists_the_typed_changes_of_a_switched_site_from_the_local_database()
    {
        await ScanTwiceAsync(_workspace.Environment);

        var all = await _workspace.RunAsync("changes");
        Assert.True(all.Code == 0, all.ToString());
        var lines = all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("detected_at\tdomain\ttype\tfield\tfrom\tto", lines[0]);
        Assert.Equal(
            ["email_added", "email_removed", "social_changed", "tech_removed", "tech_version_changed", "title_changed"],
            lines[1..].Select(l => l.Split('\t')[2]).Order(StringComparer.Ordinal));
        Assert.All(lines[1..], l => Assert.Equal("acme.switch.test", l.Split('\t')[1]));
        Assert.Contains(lines, l => l.EndsWith(VersionChange, StringComparison.Ordinal));

        var title = await _workspace.RunAsync("changes", "--domain", "ACME.switch.test", "--type", "title_changed", "--since", "2020-01-01");
        Assert.True(title.Code == 0, title.ToString());
        Assert.EndsWith("\tacme.switch.test\ttitle_changed\ttitle\tAcme Tools\tAcme Tools and Supplies",
            Assert.Single(title.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]), StringComparison.Ordinal);

        var later = await _workspace.RunAsync("changes", "--since", "2999-01-01T00:00:00Z");
        Assert.True(later.Code == 0, later.ToString());
        Assert.Equal("detected_at\tdomain\ttype\tfield\tfrom\tto", later.Output.Trim());
        Assert.Contains("No changes match.", later.Error, StringComparison.Ordinal);

        var file = _workspace.PathOf("changes.jsonl");
        var export = await _workspace.RunAsync("changes", "--out", file, "--type", "email_added");
        Assert.True(export.Code == 0, export.ToString());
        var row = Assert.Single(await File.ReadAllLinesAsync(file, Ct));
        Assert.Contains("\"to\":\"sales@acme.switch.test\"", row, StringComparison.Ordinal);
        Assert.Contains("\"previous_scan_id\":\"", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_with_server_lists_the_same_changes_through_the_api()
    {
        await using var server = await ServerProcess.StartAsync(_workspace.Environment, Ct, directory: CliProcess.Directory);
        // The CLI's own database is elsewhere: whatever it prints came from the server.
        var client = new Dictionary<string, string>(_workspace.Environment)
        {
            ["ConnectionStrings__ScraperSky"] = $"Data Source={_workspace.PathOf("unused.db")}",
            ["SCRAPERSKY_SERVER"] = server.Url.ToString(),
        };
        await ScanTwiceAsync(client);

        var all = await CliProcess.RunAsync(_workspace.Folder, client, null, "changes");
        Assert.True(all.Code == 0, all.ToString() + server.Output);
        var lines = all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.Contains(lines, l => l.EndsWith(VersionChange, StringComparison.Ordinal));

        var file = _workspace.PathOf("removed.csv");
        var export = await CliProcess.RunAsync(_workspace.Folder, client, null, "changes", "--type", "tech_removed", "--domain", "acme.switch.test", "--out", file);
        Assert.True(export.Code == 0, export.ToString());
        var rows = await File.ReadAllLinesAsync(file, Ct);
        Assert.Equal(2, rows.Length);
        Assert.Contains(",acme.switch.test,tech_removed,technologies,jQuery 3.7.1,,", rows[1], StringComparison.Ordinal);

        var none = await CliProcess.RunAsync(_workspace.Folder, client, null, "changes", "--domain", "other.test");
        Assert.True(none.Code == 0, none.ToString());
        Assert.Single(none.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// Two batches of the site, the second after switching it to `v2`.
    private async Task ScanTwiceAsync(Dictionary<string, string> environment)
    {
        foreach (var version in new[] { "v1", "v2" })
        {
            fixture.Acme.Version = version;
            var run = await CliProcess.RunAsync(_workspace.Folder, environment, "acme.switch.test\n", "batch", "-", "--no-sitemaps");
            Assert.True(run.Code == 0, run.ToString());
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();
}
