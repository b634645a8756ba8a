using System.Text.Json;
using System.Text.RegularExpressions;
using ScraperSky.Testing.Processes;

namespace ScraperSky.Cli.Tests;

/// `--server` and `--api-key`: the same commands through a real server process's HTTP API.
public sealed partial class ServerModeTests(FleetFixture fixture) : IClassFixture<FleetFixture>, IAsyncLifetime
{
    private readonly CliWorkspace _workspace = new(fixture.Fleet);

    [GeneratedRegex(@"^api_key: (?<key>ssk_[0-9a-f]{64})$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [Fact]
    public async Task Scan_batch_status_domains_and_export_go_through_a_server_with_an_api_key()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var created = await _workspace.RunAsync("tenants", "create", "--name", "Remote Co");
        Assert.True(created.Code == 0, created.ToString());
        var key = KeyLine().Match(created.Output).Groups["key"].Value;
        var tenants = await _workspace.RunAsync("tenants", "list");
        Assert.Contains("\tRemote Co\t", tenants.Output, StringComparison.Ordinal);
        var keys = await _workspace.RunAsync("keys", "list");
        Assert.Equal(2, keys.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        await using var server = await ServerProcess.StartAsync(
            new Dictionary<string, string>(_workspace.Environment) { ["Auth__RequireApiKey"] = "true" }, cancellationToken,
            directory: CliProcess.Directory);
        // The CLI's own database is elsewhere: whatever it prints came from the server.
        var client = new Dictionary<string, string>(_workspace.Environment)
        {
            ["ConnectionStrings__ScraperSky"] = $"Data Source={_workspace.PathOf("unused.db")}",
            ["SCRAPERSKY_SERVER"] = server.Url.ToString(),
        };

        var refused = await CliProcess.RunAsync(_workspace.Folder, client, null, "scan", "wordpress-elementor.test");
        Assert.True(refused.Code == 2, refused.ToString());
        Assert.Contains("401", refused.Error, StringComparison.Ordinal);

        var scan = await CliProcess.RunAsync(_workspace.Folder, client, null, "scan", "wordpress-elementor.test", "--json", "--api-key", key);
        Assert.True(scan.Code == 0, scan.ToString() + server.Output);
        using (var metadata = JsonDocument.Parse(scan.Output))
        {
            Assert.Equal("6.4.2", metadata.RootElement.GetProperty("wordpress_version").GetString());
        }

        client["SCRAPERSKY_API_KEY"] = key;
        var results = _workspace.PathOf("remote.csv");
        var batch = await CliProcess.RunAsync(_workspace.Folder, client, "site\neta.gen.test\ntheta.gen.test\n", "batch", "-", "--out", results);
        Assert.True(batch.Code == 0, batch.ToString() + server.Output);
        var batchId = Regex.Match(batch.Error, "batch_[0-9a-f]{32}").Value;
        var lines = (await File.ReadAllLinesAsync(results, cancellationToken)).Skip(1).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("eta.gen.test,2,eta.gen.test,eta.gen.test,completed,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("theta.gen.test,3,theta.gen.test,theta.gen.test,completed,", lines[1], StringComparison.Ordinal);

        var status = await CliProcess.RunAsync(_workspace.Folder, client, null, "status", batchId);
        Assert.True(status.Code == 0, status.ToString());
        Assert.Contains("status:    completed", status.Output, StringComparison.Ordinal);
        Assert.Contains("completed: 2", status.Output, StringComparison.Ordinal);

        var domains = await CliProcess.RunAsync(_workspace.Folder, client, null, "domains", "--q", "theta");
        Assert.True(domains.Code == 0, domains.ToString());
        Assert.StartsWith("theta.gen.test\tcompleted\tTheta\t", domains.Output.Split('\n')[1], StringComparison.Ordinal);

        var export = _workspace.PathOf("domains.jsonl");
        var exported = await CliProcess.RunAsync(_workspace.Folder, client, null, "export", "--out", export);
        Assert.True(exported.Code == 0, exported.ToString());
        var names = (await File.ReadAllLinesAsync(export, cancellationToken)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("domain").GetString());
        Assert.Equal(["eta.gen.test", "theta.gen.test", "wordpress-elementor.test"], names);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();
}
