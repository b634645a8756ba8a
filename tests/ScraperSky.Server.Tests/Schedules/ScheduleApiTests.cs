using System.Net;
using System.Text.Json;
using ScraperSky.Server.Tests.Api;

namespace ScraperSky.Server.Tests.Schedules;

/// Creating, reading, listing and deleting schedules; workers are off in the fixture, so no schedule runs here.
public abstract class ScheduleApiTests(ApiFixture fixture)
{
    private static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        using var response = await client.PostJsonAsync("/api/v1/schedules", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var schedule = await response.JsonAsync();
        Assert.Equal($"/api/v1/schedules/{schedule.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return schedule;
    }

    [Theory]
    [InlineData("""{"every": "PT1H"}""", "'domains'")]
    [InlineData("""{"domains": ["a.com"], "batch_id": "batch_1", "every": "PT1H"}""", "'domains'")]
    [InlineData("""{"domains": ["a.com"]}""", "'every'")]
    [InlineData("""{"domains": ["a.com"], "every": "P1D", "cron": "0 6 * * *"}""", "'every'")]
    [InlineData("""{"domains": ["a.com"], "every": "PT30S"}""", "'every'")]
    [InlineData("""{"domains": ["a.com"], "every": "weekly"}""", "'every'")]
    [InlineData("""{"domains": ["a.com"], "every": "P1M"}""", "'every'")]
    [InlineData("""{"domains": ["a.com"], "cron": "0 6 * *"}""", "'cron'")]
    [InlineData("""{"domains": ["a.com"], "cron": "0 0 30 2 *"}""", "'cron'")]
    [InlineData("""{"domains": ["a.com"], "cron": "0 6 * * *", "time_zone": "Nowhere/City"}""", "'time_zone'")]
    [InlineData("""{"domains": [], "every": "PT1H"}""", "'domains'")]
    [InlineData("""{"domains": ["a.com", "not a domain"], "every": "PT1H"}""", "'domains'")]
    [InlineData("""{"batch_id": "batch_0000000000000000000000000000abcd", "every": "PT1H"}""", "'batch_id'")]
    [InlineData("""{"batch_id": "nonsense", "every": "PT1H"}""", "'batch_id'")]
    [InlineData("""{"filter": {"has_emails": true}, "every": "PT1H"}""", "'filter.has_emails'")]
    [InlineData("""{"filter": {"status": "running"}, "every": "PT1H"}""", "'filter.status'")]
    [InlineData("""{"filter": {"batch_id": "batch_0000000000000000000000000000abcd"}, "every": "PT1H"}""", "'filter.batch_id'")]
    [InlineData("""{"domains": ["a.com"], "every": "PT1H", "max_pages": 0}""", "'max_pages'")]
    public async Task A_schedule_that_cannot_run_is_a_400_naming_the_field(string body, string field)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.PostRawAsync("/api/v1/schedules", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.DetailAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_domains_than_a_batch_may_hold_are_refused_and_another_tenants_batch_is_unknown()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var domains = Enumerable.Range(0, 10_001).Select(i => $"d{i}.com").ToArray();
        using var tooMany = await client.PostJsonAsync("/api/v1/schedules", new { domains, every = "P1D" });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("10000", await tooMany.DetailAsync(), StringComparison.Ordinal);

        using var other = fixture.CreateClient(fixture.TenantB);
        using var batch = await other.PostJsonAsync("/api/v1/batch", new { domains = new[] { "theirs.com" } });
        var batchId = (await batch.JsonAsync()).GetProperty("batch_id").GetString();
        using var response = await client.PostJsonAsync("/api/v1/schedules", new { batch_id = batchId, every = "P1D" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'batch_id'", await response.DetailAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_is_created_read_listed_and_deleted_by_its_tenant_only()
    {
        var tenant = await fixture.CreateTenantAsync("scheduler");
        using var client = fixture.CreateClient(tenant);
        var before = DateTime.UtcNow;
        var created = await CreateAsync(client, new { domains = new[] { "Example.com", "https://example.com/x", "shop.example.org" }, every = "PT1H", max_pages = 3 });

        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("sched_", id, StringComparison.Ordinal);
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal(["example.com", "shop.example.org"], created.GetProperty("domains").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(3, created.GetProperty("max_pages").GetInt32());
        Assert.Equal(0, created.GetProperty("run_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("last_batch_id").ValueKind);
        var next = created.GetProperty("next_run_at").GetDateTime().ToUniversalTime();
        Assert.InRange(next, before.AddHours(1).AddSeconds(-1), DateTime.UtcNow.AddHours(1).AddSeconds(1));

        using (var read = await client.GetPathAsync($"/api/v1/schedules/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(created.GetRawText(), (await read.JsonAsync()).GetRawText());
        }

        using (var list = await client.GetPathAsync("/api/v1/schedules"))
        {
            Assert.Equal([id], (await list.JsonAsync()).GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        }

        using var other = fixture.CreateClient(fixture.TenantB);
        using (var theirs = await other.GetPathAsync($"/api/v1/schedules/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        }

        using (var theirDelete = await other.DeleteAsync(new Uri($"/api/v1/schedules/{id}", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, theirDelete.StatusCode);
        }

        using (var deleted = await client.DeleteAsync(new Uri($"/api/v1/schedules/{id}", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await client.GetPathAsync($"/api/v1/schedules/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using (var again = await client.DeleteAsync(new Uri($"/api/v1/schedules/{id}", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        using var empty = await client.GetPathAsync("/api/v1/schedules");
        Assert.Empty((await empty.JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Batch_and_filter_targets_and_cron_timings_are_shown_as_they_were_given()
    {
        var tenant = await fixture.CreateTenantAsync("targets");
        using var client = fixture.CreateClient(tenant);
        using var batch = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { "one.com", "two.com" } });
        var batchId = (await batch.JsonAsync()).GetProperty("batch_id").GetString();

        var byBatch = await CreateAsync(client, new { batch_id = batchId, cron = "30 6 * * 1", time_zone = "Europe/Berlin" });
        Assert.Equal(batchId, byBatch.GetProperty("batch_id").GetString());
        Assert.Equal(JsonValueKind.Null, byBatch.GetProperty("domains").ValueKind);
        Assert.Equal(("30 6 * * 1", "Europe/Berlin"), (byBatch.GetProperty("cron").GetString(), byBatch.GetProperty("time_zone").GetString()));
        var next = byBatch.GetProperty("next_run_at").GetDateTime().ToUniversalTime();
        Assert.Equal(DayOfWeek.Monday, next.DayOfWeek);
        Assert.Equal(30, next.Minute);

        var byFilter = await CreateAsync(client, new { filter = new { tech = new[] { "WordPress" }, has_email = true, status = "completed", batch_id = batchId }, every = "P7D" });
        var filter = byFilter.GetProperty("filter");
        Assert.Equal(["WordPress"], filter.GetProperty("tech").EnumerateArray().Select(t => t.GetString()));
        Assert.True(filter.GetProperty("has_email").GetBoolean());
        Assert.Equal("completed", filter.GetProperty("status").GetString());
        Assert.Equal(batchId, filter.GetProperty("batch_id").GetString());

        // Newest first, two to a page.
        var third = await CreateAsync(client, new { domains = new[] { "three.com" }, every = "PT5M" });
        using var first = await client.GetPathAsync("/api/v1/schedules?limit=2");
        var page = await first.JsonAsync();
        Assert.Equal([third.GetProperty("id").GetString(), byFilter.GetProperty("id").GetString()],
            page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        using var second = await client.GetPathAsync("/api/v1/schedules?limit=2&cursor=" + page.GetProperty("next_cursor").GetString());
        var rest = await second.JsonAsync();
        Assert.Equal([byBatch.GetProperty("id").GetString()], rest.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_cursor").ValueKind);
    }
}

public sealed class SqliteScheduleApiTests(SqliteApiFixture fixture) : ScheduleApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresScheduleApiTests(PostgresApiFixture fixture) : ScheduleApiTests(fixture), IClassFixture<PostgresApiFixture>;
