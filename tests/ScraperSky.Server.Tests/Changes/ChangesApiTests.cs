using System.Net;
using System.Text.Json;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;
using ScraperSky.Server.Tests.Api;

namespace ScraperSky.Server.Tests.Changes;

/// Typed changes between consecutive scans, recorded as the job queue ends each scan (workers are off in the
/// fixture; scans end through the real queue, as a worker ends them).
public abstract class ChangesApiTests(ApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SiteMetadata Site(
        string title, string[] emails, IReadOnlyList<DetectedTechnology> technologies, string? linkedin = null, long? sitemapUrls = null) => new()
    {
        Title = title,
        Language = "en",
        FinalUrl = "https://example.com/",
        ContactInfo = new ContactInfo { Email = emails },
        SocialLinks = new SocialLinks { Linkedin = linkedin },
        Technologies = technologies,
        Sitemaps = sitemapUrls is { } urls ? new SitemapSummary { Files = 1, Urls = urls } : null,
    };

    private static DetectedTechnology Tech(string name, int confidence, string? version = null) => new(name, ["CMS"], version, confidence);

    /// Queues a scan of the domain, claims it and ends it with <paramref name="site"/>, or failed when it is null.
    private async Task ScanAsync(HttpClient client, string domain, SiteMetadata? site)
    {
        using (var response = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = domain }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var claims = await fixture.WithServiceAsync<JobQueue, IReadOnlyList<ClaimedJob>>(q => q.ClaimAsync("test-worker", 10, Ct));
        var claim = Assert.Single(claims);
        await fixture.WithServiceAsync<JobQueue, bool>(async q => site is null
            ? await q.FailAsync(claim, $"{domain} answered HTTP 503 (Service Unavailable).", isTransient: false, Ct) == FailureOutcome.Failed
            : await q.CompleteAsync(claim, site, null, Ct));
    }

    private static async Task<List<(string Type, string Field, string? From, string? To)>> ChangesAsync(HttpClient client, string url)
    {
        using var response = await client.GetPathAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(c => (
            c.GetProperty("type").GetString()!, c.GetProperty("field").GetString()!,
            c.GetProperty("from").GetString(), c.GetProperty("to").GetString()))];
    }

    [Fact]
    public async Task Consecutive_scans_record_typed_changes_and_an_outage_once_with_its_recovery()
    {
        var tenant = await fixture.CreateTenantAsync("changes");
        using var client = fixture.CreateClient(tenant);
        var domain = $"shop-{Guid.NewGuid():N}"[..20] + ".com";

        await ScanAsync(client, domain, Site("Shop", ["info@shop.com"], [Tech("WordPress", 100, "6.4.3"), Tech("jQuery", 100)], "https://linkedin.com/company/a", 10));
        Assert.Empty(await ChangesAsync(client, $"/api/v1/domains/{domain}/changes"));

        await ScanAsync(client, domain, null);
        await ScanAsync(client, domain, null);
        await ScanAsync(client, domain, Site("Shop and more", ["sales@shop.com"], [Tech("WordPress", 100, "6.5.2"), Tech("Shopify", 90)], "https://linkedin.com/company/b", 25));

        var changes = await ChangesAsync(client, $"/api/v1/domains/{domain}/changes");
        Assert.Equal(
            new HashSet<(string, string, string?, string?)>
            {
                ("became_unreachable", "status", "completed", $"{domain} answered HTTP 503 (Service Unavailable)."),
                ("recovered", "status", "failed", "completed"),
                ("tech_version_changed", "technologies", "WordPress 6.4.3", "WordPress 6.5.2"),
                ("tech_added", "technologies", null, "Shopify"),
                ("tech_removed", "technologies", "jQuery", null),
                ("email_added", "emails", null, "sales@shop.com"),
                ("email_removed", "emails", "info@shop.com", null),
                ("social_changed", "social_links.linkedin", "https://linkedin.com/company/a", "https://linkedin.com/company/b"),
                ("title_changed", "title", "Shop", "Shop and more"),
                ("sitemap_urls_changed", "sitemap_urls", "10", "25"),
            },
            changes.ToHashSet());
        Assert.Equal(10, changes.Count);
        Assert.Equal("became_unreachable", changes[^1].Type); // newest first

        // The feed filters by type and domain and pages with a cursor; other tenants see nothing.
        Assert.Equal([("tech_added", "technologies", null, "Shopify")], await ChangesAsync(client, $"/api/v1/changes?type=tech_added&domain={domain}"));
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            using var response = await client.GetPathAsync($"/api/v1/changes?limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            var body = await response.JsonAsync();
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            cursor = body.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(10, seen.Distinct().Count());
        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Empty(await ChangesAsync(fixture.CreateClient(fixture.TenantB), $"/api/v1/changes?domain={domain}"));

        using var csv = await client.GetPathAsync($"/api/v1/domains/{domain}/changes?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,detected_at,domain,type,field,from,to,scan_id,previous_scan_id", lines[0]);
        Assert.Equal(11, lines.Length);

        // Each technology has its first and last sighting on the domain.
        using var view = await client.GetPathAsync($"/api/v1/domains/{domain}");
        var technologies = (await view.JsonAsync()).GetProperty("technologies_seen").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => (t.GetProperty("first_seen").GetDateTime(), t.GetProperty("last_seen").GetDateTime()));
        Assert.Equal(["Shopify", "WordPress", "jQuery"], technologies.Keys.Order(StringComparer.Ordinal));
        Assert.True(technologies["WordPress"].Item1 < technologies["WordPress"].Item2);
        Assert.Equal(technologies["jQuery"].Item1, technologies["jQuery"].Item2);
        Assert.True(technologies["jQuery"].Item2 < technologies["WordPress"].Item2);
    }

    [Fact]
    public async Task A_weak_technology_flickering_in_and_out_records_no_changes()
    {
        var tenant = await fixture.CreateTenantAsync("flicker");
        using var client = fixture.CreateClient(tenant);
        var domain = $"flicker-{Guid.NewGuid():N}"[..20] + ".com";
        var strong = Tech("WordPress", 100, "6.5.2");
        await ScanAsync(client, domain, Site("Same", [], [strong, Tech("Maybe", 30)]));
        await ScanAsync(client, domain, Site("Same", [], [strong]));
        await ScanAsync(client, domain, Site("Same", [], [strong, Tech("Maybe", 40, "2.0")]));
        await ScanAsync(client, domain, Site("Same", [], [strong, Tech("Maybe", 80)]));
        await ScanAsync(client, domain, Site("Same", [], [strong, Tech("Maybe", 20)]));
        Assert.Empty(await ChangesAsync(client, $"/api/v1/domains/{domain}/changes"));

        // A confident sighting that goes away is churn.
        await ScanAsync(client, domain, Site("Same", [], [strong, Tech("Maybe", 90)]));
        await ScanAsync(client, domain, Site("Same", [], [strong]));
        Assert.Equal([("tech_removed", "technologies", "Maybe", null)], await ChangesAsync(client, $"/api/v1/domains/{domain}/changes"));
    }

    [Fact]
    public async Task Bad_change_queries_are_400s_that_name_the_parameter()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using (var response = await client.GetPathAsync("/api/v1/changes?type=tech_churned"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("'type'", await response.DetailAsync(), StringComparison.Ordinal);
        }

        using (var response = await client.GetPathAsync("/api/v1/changes?cursor=nope"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("'cursor'", await response.DetailAsync(), StringComparison.Ordinal);
        }

        using var missing = await client.GetPathAsync("/api/v1/domains/never-scanned.example/changes");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

public sealed class SqliteChangesApiTests(SqliteApiFixture fixture) : ChangesApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresChangesApiTests(PostgresApiFixture fixture) : ChangesApiTests(fixture), IClassFixture<PostgresApiFixture>;
