using System.Net;
using ScraperSky.Server.Tests.Api;
using ScraperSky.Server.Tests.Durability;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Server.Tests.Sitemaps;

/// The server with its workers on, scanning fleet sites over real HTTP (through `Scanning:HostMap:test`).
public sealed class ScanningSqliteApiFixture : SqliteApiFixture
{
    private TestSiteFleet? _fleet;

    protected override async ValueTask<Dictionary<string, string?>> DatabaseSettingsAsync()
    {
        _fleet = await TestSiteFleet.StartAsync();
        var settings = await base.DatabaseSettingsAsync();
        settings["Scanning:HostMap:test"] = _fleet.HostMapValue;
        settings["Scanning:CheckMx"] = "false"; // no DNS beyond loopback in tests
        return settings;
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Server:Role"] = "Both";
        settings["Jobs:PollInterval"] = "00:00:00.200";
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

public sealed class SitemapScanEndToEndTests(ScanningSqliteApiFixture fixture) : IClassFixture<ScanningSqliteApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<System.Text.Json.JsonElement> ScanAsync(HttpClient client, string domain) =>
        ScanAsync(client, domain, new { base_url = domain });

    private static async Task<System.Text.Json.JsonElement> ScanAsync(HttpClient client, string domain, object body)
    {
        using var submitted = await client.PostJsonAsync("/api/v1/scrapersky", body);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var statusUrl = (await submitted.JsonAsync()).GetProperty("status_url").GetString()!;
        System.Text.Json.JsonElement status = default;
        await JobRows.WaitUntilAsync(async () =>
        {
            using var response = await client.GetPathAsync(statusUrl);
            status = await response.JsonAsync();
            return status.GetProperty("status").GetString() is "completed" or "failed";
        }, TimeSpan.FromSeconds(60), $"the scan of {domain} ended", Ct);
        Assert.Equal("completed", status.GetProperty("status").GetString());
        return status;
    }

    [Fact]
    public async Task A_scan_stores_the_sitemap_urls_the_api_lists_and_a_rescan_replaces_them()
    {
        using var client = fixture.CreateClient(fixture.TenantA);

        var first = await ScanAsync(client, "sm-wp.test");
        var second = await ScanAsync(client, "sm-wp.test");

        foreach (var status in new[] { first, second })
        {
            var summary = status.GetProperty("metadata").GetProperty("sitemaps");
            Assert.Equal(6, summary.GetProperty("files").GetInt32());
            Assert.Equal(7, summary.GetProperty("urls").GetInt64());
            Assert.Equal("2025-03-04T18:00:00+00:00", summary.GetProperty("newest_lastmod").GetString());
        }

        using var sitemaps = await client.GetPathAsync("/api/v1/domains/sm-wp.test/sitemaps");
        var files = await sitemaps.JsonAsync();
        Assert.Equal(6, files.GetProperty("total_files").GetInt32());
        Assert.Equal(7, files.GetProperty("total_urls").GetInt64());
        using var urls = await client.GetPathAsync("/api/v1/domains/sm-wp.test/urls");
        var page = await urls.JsonAsync();
        Assert.Equal(7, page.GetProperty("urls").GetArrayLength());
        Assert.Contains(page.GetProperty("urls").EnumerateArray(), u => u.GetProperty("loc").GetString() == "https://sm-wp.test/en/deep/");
        using var other = await fixture.CreateClient(fixture.TenantB).GetPathAsync("/api/v1/domains/sm-wp.test/urls");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task The_scan_summary_and_the_sitemaps_endpoint_count_the_same_files_and_name_the_same_discovery()
    {
        using var client = fixture.CreateClient(fixture.TenantB);

        var status = await ScanAsync(client, "sm-robots.test");

        // robots.txt declares missing.xml, which answers 404: listed by the endpoint, counted by neither.
        var summary = status.GetProperty("metadata").GetProperty("sitemaps");
        using var sitemaps = await client.GetPathAsync("/api/v1/domains/sm-robots.test/sitemaps");
        var listed = await sitemaps.JsonAsync();
        var files = listed.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(4, summary.GetProperty("files").GetInt32());
        Assert.Equal(4, listed.GetProperty("total_files").GetInt32());
        Assert.Equal(5, files.Count);
        var missing = files.Single(f => f.GetProperty("url").GetString()!.EndsWith("/missing.xml", StringComparison.Ordinal));
        Assert.Equal((404, "robots"), (missing.GetProperty("http_status").GetInt32(), missing.GetProperty("discovery").GetString()));
        Assert.Equal(
            files.Select(f => f.GetProperty("discovery").GetString()).Distinct().Order(StringComparer.Ordinal),
            summary.GetProperty("discovery_methods").EnumerateArray().Select(m => m.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_scan_with_include_sitemaps_false_reads_and_stores_no_sitemaps()
    {
        using var client = fixture.CreateClient(fixture.TenantA);

        var status = await ScanAsync(client, "sm-robots.test", new { base_url = "sm-robots.test", include_sitemaps = false });

        var metadata = status.GetProperty("metadata");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, metadata.GetProperty("sitemaps").ValueKind);
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("title").GetString()));
        using var urls = await client.GetPathAsync("/api/v1/domains/sm-robots.test/urls");
        Assert.Empty((await urls.JsonAsync()).GetProperty("urls").EnumerateArray());
    }
}
