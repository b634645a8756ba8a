using System.Net;
using System.Text.Json;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Server.Tests.Api;

/// The whole path with workers on: endpoint → job row → worker → scanner → real HTTP to the test-site fleet → result.
public sealed class EndToEndApiFixture : SqliteApiFixture
{
    private TestSiteFleet? _fleet;

    public override async ValueTask InitializeAsync()
    {
        _fleet = await TestSiteFleet.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Server:Role"] = "Both";
        settings["Scanning:HostMap:test"] = _fleet!.HostMapValue;
        settings["Scanning:CheckMx"] = "false"; // no DNS beyond loopback in tests
        settings["Jobs:PollInterval"] = "00:00:00.200";
        settings["Jobs:Concurrency"] = "4";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }
    }
}

public sealed class EndToEndScanTests(EndToEndApiFixture fixture) : IClassFixture<EndToEndApiFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_scan_of_a_fleet_site_completes_with_its_title_and_description()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var submitted = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "https://www.basic.test/" });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var statusUrl = (await submitted.JsonAsync()).GetProperty("status_url").GetString()!;

        var status = await PollAsync(client, statusUrl, body => body.GetProperty("status").GetString() is "completed" or "failed");
        Assert.True(status.GetProperty("status").GetString() == "completed", status.GetRawText());
        Assert.Equal("completed", status.GetProperty("progress").GetProperty("step").GetString());
        Assert.Equal(JsonValueKind.String, status.GetProperty("completed_at").ValueKind);
        var metadata = status.GetProperty("metadata");
        Assert.Equal("Basic Test Site", metadata.GetProperty("title").GetString());
        Assert.Equal("A plain site for the fleet's own tests.", metadata.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_batch_of_fleet_sites_ends_partial_with_exact_counters()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var submitted = await client.PostJsonAsync("/api/v1/batch",
            new { domains = new[] { "shop-7.gen.test", "basic.test", "gone.status404.gen.test", "not a domain" } });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var statusUrl = (await submitted.JsonAsync()).GetProperty("status_url").GetString()!;

        var batch = await PollAsync(client, statusUrl,
            body => body.GetProperty("status").GetString() is "completed" or "failed" or "partial");
        Assert.Equal("partial", batch.GetProperty("status").GetString());
        Assert.Equal(4, batch.GetProperty("total_jobs").GetInt32());
        Assert.Equal(2, batch.GetProperty("completed_jobs").GetInt32());
        Assert.Equal(2, batch.GetProperty("failed_jobs").GetInt32());
        var jobs = batch.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("domain").GetString()!);
        Assert.Equal("completed", jobs["shop-7.gen.test"].GetProperty("status").GetString());
        Assert.Equal("failed", jobs["gone.status404.gen.test"].GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(jobs["gone.status404.gen.test"].GetProperty("error").GetString()));

        var shop = await (await client.GetPathAsync($"/api/v1/status/{jobs["shop-7.gen.test"].GetProperty("job_id").GetString()}")).JsonAsync();
        Assert.Equal("Shop 7", shop.GetProperty("metadata").GetProperty("title").GetString());
    }

    private static async Task<JsonElement> PollAsync(HttpClient client, string url, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await client.GetPathAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.JsonAsync();
            if (done(body))
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still not done after {Patience}: {body}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
