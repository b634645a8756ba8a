using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Sitemaps;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Sitemaps;
using ScraperSky.Server.Tests.Api;

namespace ScraperSky.Server.Tests.Sitemaps;

/// The sitemap endpoints over rows written by the production store, once per database.
public abstract class SitemapApiTests(ApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string UniqueDomain() => $"shop-{Guid.NewGuid():N}.com";

    /// Writes one collection for the domain: an index and a urlset of <paramref name="urls"/> URLs under it.
    private async Task<(SitemapFileRecord Index, SitemapFileRecord File)> SeedAsync(Guid tenant, string domain, int urls)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<SitemapStoreFactory>().Create(tenant, domain);
        var index = new SitemapFileRecord
        {
            Id = Guid.CreateVersion7(), Url = new Uri($"https://{domain}/sitemap_index.xml"), Discovery = SitemapDiscovery.Robots,
            Kind = SitemapKind.Index, HttpStatus = 200,
        };
        var file = new SitemapFileRecord
        {
            Id = Guid.CreateVersion7(), Url = new Uri($"https://{domain}/pages.xml.gz"), Discovery = SitemapDiscovery.Index,
            ParentId = index.Id, Kind = SitemapKind.UrlSet, HttpStatus = 200,
        };
        await store.OpenFileAsync(index, Ct);
        await store.CloseFileAsync(index with { Bytes = 300, FetchMs = 12 }, Ct);
        await store.OpenFileAsync(file, Ct);
        var entries = Enumerable.Range(0, urls).Select(i => new SitemapUrlEntry
        {
            Loc = i == 1 ? $"https://{domain}/a,b?q=\"x\"" : $"https://{domain}/page/{i}",
            Lastmod = i == 0 ? new DateTimeOffset(2025, 2, 3, 4, 5, 6, TimeSpan.Zero) : null,
            ChangeFreq = i == 0 ? "daily" : null,
            Priority = i == 0 ? 0.8 : null,
            Images = i == 0 ? 2 : 0,
        }).ToList();
        foreach (var chunk in entries.Chunk(7))
        {
            await store.AddUrlsAsync(file, chunk, Ct);
        }

        await store.CloseFileAsync(file with { UrlCount = urls, Bytes = 4096, Gzipped = true, FetchMs = 34, Truncated = true, Error = "cut off" }, Ct);
        await store.CompleteAsync(new SitemapSummary(), Ct);
        await store.FlushAsync(Ct);
        return (index, file);
    }

    [Fact]
    public async Task The_sitemaps_of_a_domain_are_listed_with_how_each_was_found_and_what_it_held()
    {
        var domain = UniqueDomain();
        var (index, file) = await SeedAsync(fixture.TenantA.Id, domain, 3);
        using var client = fixture.CreateClient(fixture.TenantA);

        using var response = await client.GetPathAsync($"/api/v1/domains/WWW.{domain.ToUpperInvariant()}/sitemaps");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(domain, body.GetProperty("domain").GetString());
        Assert.Equal(2, body.GetProperty("total_files").GetInt32());
        Assert.Equal(3, body.GetProperty("total_urls").GetInt64());
        var files = body.GetProperty("files").EnumerateArray().ToList();
        var child = files.Single(f => f.GetProperty("id").GetGuid() == file.Id);
        Assert.Equal($"https://{domain}/pages.xml.gz", child.GetProperty("url").GetString());
        Assert.Equal("url_set", child.GetProperty("type").GetString());
        Assert.Equal("index", child.GetProperty("discovery").GetString());
        Assert.Equal(index.Id, child.GetProperty("parent_id").GetGuid());
        Assert.Equal(4096, child.GetProperty("bytes").GetInt64());
        Assert.True(child.GetProperty("gzipped").GetBoolean());
        Assert.Equal(3, child.GetProperty("url_count").GetInt32());
        Assert.Equal(200, child.GetProperty("http_status").GetInt32());
        Assert.Equal(34, child.GetProperty("fetch_ms").GetInt64());
        Assert.True(child.GetProperty("truncated").GetBoolean());
        Assert.Equal("cut off", child.GetProperty("error").GetString());
        var root = files.Single(f => f.GetProperty("id").GetGuid() == index.Id);
        Assert.Equal("robots", root.GetProperty("discovery").GetString());
        Assert.Equal("index", root.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Urls_are_paged_with_a_cursor_until_the_last_page()
    {
        var domain = UniqueDomain();
        var (_, file) = await SeedAsync(fixture.TenantA.Id, domain, 25);
        using var client = fixture.CreateClient(fixture.TenantA);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        var sawFirst = false;
        do
        {
            using var response = await client.GetPathAsync(
                $"/api/v1/domains/{domain}/urls?limit=10" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.JsonAsync();
            Assert.Equal(25, body.GetProperty("total_urls").GetInt64());
            var urls = body.GetProperty("urls").EnumerateArray().ToList();
            if (urls.FirstOrDefault(u => u.GetProperty("loc").GetString() == $"https://{domain}/page/0") is { ValueKind: JsonValueKind.Object } first)
            {
                Assert.Equal("2025-02-03T04:05:06Z", first.GetProperty("lastmod").GetString());
                Assert.Equal("daily", first.GetProperty("changefreq").GetString());
                Assert.Equal(0.8, first.GetProperty("priority").GetDouble());
                Assert.Equal(2, first.GetProperty("image_count").GetInt32());
                Assert.Equal(file.Id, first.GetProperty("sitemap_id").GetGuid());
                sawFirst = true;
            }

            seen.AddRange(urls.Select(u => u.GetProperty("loc").GetString()!));
            cursor = body.GetProperty("next_cursor").GetString();
            pages++;
            Assert.Equal(pages < 3 ? 10 : 5, urls.Count);
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.True(sawFirst);
        Assert.Equal(25, seen.Distinct().Count());
        // In loc order, each page after the one before.
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Both_lists_come_as_csv_by_query_or_accept_header()
    {
        var domain = UniqueDomain();
        await SeedAsync(fixture.TenantA.Id, domain, 3);
        using var client = fixture.CreateClient(fixture.TenantA);

        using var byQuery = await client.GetPathAsync($"/api/v1/domains/{domain}/urls?format=csv");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/domains/{domain}/sitemaps");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var byHeader = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal("text/csv", byQuery.Content.Headers.ContentType?.MediaType);
        var lines = (await byQuery.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("loc,lastmod,changefreq,priority,image_count,video_count,news_count,alternate_count", lines[0]);
        Assert.Equal($"\"https://{domain}/a,b?q=\"\"x\"\"\",,,,0,0,0,0", lines[1]);
        Assert.Equal($"https://{domain}/page/0,2025-02-03T04:05:06Z,daily,0.8,2,0,0,0", lines[2]);
        Assert.Equal(4, lines.Length);

        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        var files = (await byHeader.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("url,type,discovery,parent_id,", files[0], StringComparison.Ordinal);
        Assert.Equal(3, files.Length);
    }

    [Fact]
    public async Task Another_tenants_domain_and_an_unscanned_domain_are_404_and_a_bad_domain_is_400()
    {
        var domain = UniqueDomain();
        await SeedAsync(fixture.TenantA.Id, domain, 2);
        using var other = fixture.CreateClient(fixture.TenantB);

        using var theirs = await other.GetPathAsync($"/api/v1/domains/{domain}/urls");
        using var theirFiles = await other.GetPathAsync($"/api/v1/domains/{domain}/sitemaps");
        using var unknown = await other.GetPathAsync($"/api/v1/domains/{UniqueDomain()}/sitemaps");
        using var invalid = await other.GetPathAsync("/api/v1/domains/not_a_domain/urls");
        using var mismatch = await other.GetPathAsync($"/api/v1/domains/{domain}/urls?tenant_id={fixture.TenantA.Id}");
        using var anonymous = await fixture.CreateClient().GetPathAsync($"/api/v1/domains/{domain}/urls");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal("Domain not found", await theirs.DetailAsync());
        Assert.Equal(HttpStatusCode.NotFound, theirFiles.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("Invalid domain format: not_a_domain", await invalid.DetailAsync());
        Assert.Equal(HttpStatusCode.Forbidden, mismatch.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("limit=0", "limit must be between 1 and 10000.")]
    [InlineData("limit=10001", "limit must be between 1 and 10000.")]
    [InlineData("cursor=a", "Invalid cursor.")]
    [InlineData("cursor=%2F%2F%2F", "Invalid cursor.")]
    public async Task A_bad_limit_or_cursor_is_a_400_with_a_detail(string query, string detail)
    {
        var domain = UniqueDomain();
        await SeedAsync(fixture.TenantA.Id, domain, 1);
        using var client = fixture.CreateClient(fixture.TenantA);

        using var response = await client.GetPathAsync($"/api/v1/domains/{domain}/urls?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(detail, await response.DetailAsync());
    }
}

public sealed class SqliteSitemapApiTests(SqliteApiFixture fixture) : SitemapApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresSitemapApiTests(PostgresApiFixture fixture) : SitemapApiTests(fixture), IClassFixture<PostgresApiFixture>;
