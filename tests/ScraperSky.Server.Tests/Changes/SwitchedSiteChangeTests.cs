using System.Net;
using System.Text.Json;
using ScraperSky.Server.Tests.Api;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Server.Tests.Changes;

/// Workers on, real HTTP to a fleet site whose content the test switches between two versions.
public interface ISwitchFixture
{
    ApiFixture Api { get; }
    TestSiteFleet Fleet { get; }
}

internal static class SwitchFixtureSettings
{
    public static void Apply(Dictionary<string, string?> settings, TestSiteFleet fleet)
    {
        settings["Server:Role"] = "Both";
        settings["Scanning:HostMap:test"] = fleet.HostMapValue;
        settings["Scanning:CheckMx"] = "false"; // no DNS beyond loopback in tests
        settings["Jobs:PollInterval"] = "00:00:00.200";
        settings["Jobs:Concurrency"] = "2";
    }
}

public sealed class SqliteSwitchFixture : SqliteApiFixture, ISwitchFixture
{
    public ApiFixture Api => this;
    public TestSiteFleet Fleet { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Fleet = await TestSiteFleet.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings) => SwitchFixtureSettings.Apply(settings, Fleet);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fleet.DisposeAsync();
    }
}

public sealed class PostgresSwitchFixture : PostgresApiFixture, ISwitchFixture
{
    public ApiFixture Api => this;
    public TestSiteFleet Fleet { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Fleet = await TestSiteFleet.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings) => SwitchFixtureSettings.Apply(settings, Fleet);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fleet.DisposeAsync();
    }
}

public abstract class SwitchedSiteChangeTests(ISwitchFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task ScanToEndAsync(HttpClient client, string path, object body)
    {
        using var submitted = await client.PostJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var statusUrl = (await submitted.JsonAsync()).GetProperty("status_url").GetString()!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            using var response = await client.GetPathAsync(statusUrl);
            var status = await response.JsonAsync();
            var state = status.GetProperty("status").GetString();
            if (state is "completed" or "failed")
            {
                Assert.True(state == "completed", status.GetRawText());
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the scan did not end within 120 s");
            await Task.Delay(200, Ct);
        }
    }

    [Fact]
    public async Task Scanning_switching_the_site_and_rescanning_records_exactly_its_typed_changes()
    {
        var site = SwitchableSite.Map(fixture.Fleet, "acme.switch.test", "v1");
        var tenant = await fixture.Api.CreateTenantAsync("switcher");
        using var client = fixture.Api.CreateClient(tenant);

        await ScanToEndAsync(client, "/api/v1/scrapersky", new { base_url = site.Host, include_sitemaps = false });
        site.Version = "v2";
        await ScanToEndAsync(client, $"/api/v1/domains/{site.Host}/rescan", new { include_sitemaps = false });

        using var response = await client.GetPathAsync($"/api/v1/domains/{site.Host}/changes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        var changes = items.Select(c => $"{c.GetProperty("type").GetString()} {c.GetProperty("field").GetString()}: " +
                                        $"{c.GetProperty("from").GetString()} -> {c.GetProperty("to").GetString()}").Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "email_added emails:  -> sales@acme.switch.test",
                "email_removed emails: info@acme.switch.test -> ",
                "social_changed social_links.linkedin: https://linkedin.com/company/acme-tools -> https://linkedin.com/company/acme-supplies",
                "tech_removed technologies: jQuery 3.7.1 -> ",
                "tech_version_changed technologies: WordPress 6.4.3 -> WordPress 6.5.2",
                "title_changed title: Acme Tools -> Acme Tools and Supplies",
            ],
            changes);
        Assert.All(items, c => Assert.Equal(JsonValueKind.String, c.GetProperty("previous_scan_id").ValueKind));
    }
}

public sealed class SqliteSwitchedSiteChangeTests(SqliteSwitchFixture fixture) : SwitchedSiteChangeTests(fixture), IClassFixture<SqliteSwitchFixture>;

public sealed class PostgresSwitchedSiteChangeTests(PostgresSwitchFixture fixture) : SwitchedSiteChangeTests(fixture), IClassFixture<PostgresSwitchFixture>;
