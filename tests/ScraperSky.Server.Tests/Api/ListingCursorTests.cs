using System.Net;
using ScraperSky.Server.Paging;
using ScraperSky.Server.Tests.Webhooks;

namespace ScraperSky.Server.Tests.Api;

/// Every cursor-paged listing reads `limit` and `cursor` the same way, and answers a cursor it did not hand out (or
/// one another listing handed out) with the same 400, never with a 500 or a silently empty page. (The webhook fixture:
/// its host map lets a webhook be created, so its deliveries can be listed.)
public sealed class ListingCursorTests(SqliteWebhookFixture fixture) : IClassFixture<SqliteWebhookFixture>
{
    // A cursor of a listing keyed by a number, not by text.
    private static readonly string ForeignCursor = Cursor.Encode(new { Id = 5 });

    private async Task<string[]> ListingsAsync(HttpClient client)
    {
        using var batch = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { "cursor-listing.com" } });
        var batchId = (await batch.JsonAsync()).GetProperty("batch_id").GetString();
        using var webhook = await client.PostJsonAsync("/api/v1/webhooks",
            new { url = "http://hooks.test/in", events = new[] { "scan.completed" }, secret = WebhookReceiver.Secret });
        Assert.True(webhook.StatusCode == HttpStatusCode.OK, await webhook.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var webhookId = (await webhook.JsonAsync()).GetProperty("id").GetString();
        return
        [
            "/api/v1/batches", "/api/v1/schedules", "/api/v1/changes", "/api/v1/domains", $"/api/v1/batch/{batchId}/results",
            $"/api/v1/webhooks/{webhookId}/deliveries",
        ];
    }

    [Fact]
    public async Task A_cursor_no_listing_handed_out_is_the_same_400_on_every_listing()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        foreach (var listing in await ListingsAsync(client))
        {
            foreach (var cursor in new[] { "not-a-cursor!", "eyJub3QiOiJjbG9zZWQi", new string('A', 5000) })
            {
                using var response = await client.GetPathAsync($"{listing}?cursor={Uri.EscapeDataString(cursor)}");
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{listing}: {response.StatusCode}");
                Assert.Equal(Cursor.NotThisListing, await response.DetailAsync());
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/batches")]
    [InlineData("/api/v1/schedules")]
    public async Task A_cursor_another_listing_handed_out_is_refused_by_a_listing_keyed_by_text(string listing)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.GetPathAsync($"{listing}?cursor={ForeignCursor}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Cursor.NotThisListing, await response.DetailAsync());
    }

    [Fact]
    public async Task A_page_size_out_of_range_is_a_400_naming_limit_on_every_listing()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        foreach (var listing in await ListingsAsync(client))
        {
            foreach (var limit in new[] { 0, Cursor.MaxLimit + 1 })
            {
                using var response = await client.GetPathAsync($"{listing}?limit={limit}");
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{listing}?limit={limit}: {response.StatusCode}");
                Assert.Contains("'limit'", await response.DetailAsync(), StringComparison.Ordinal);
            }
        }
    }
}
