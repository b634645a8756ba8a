using System.Net;
using Microsoft.EntityFrameworkCore;

namespace ScraperSky.Server.Tests.Api;

public sealed class QueueLimitedApiFixture : SqliteApiFixture
{
    public const int MaxQueued = 3;

    protected override void Configure(Dictionary<string, string?> settings) =>
        settings["Jobs:MaxQueuedPerTenant"] = MaxQueued.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// Workers are off in this fixture, so submitted jobs stay queued.
public sealed class QueueLimitTests(QueueLimitedApiFixture fixture) : IClassFixture<QueueLimitedApiFixture>
{
    [Fact]
    public async Task A_submission_past_the_tenants_queue_cap_gets_429_saying_the_limit_and_how_many_wait()
    {
        var tenant = await fixture.CreateTenantAsync("queue-full");
        using var client = fixture.CreateClient(tenant);
        using var batch = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { "one.com", "two.com" } });
        using var scan = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "three.com" });
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scan.StatusCode);

        using var refusedScan = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "four.com" });
        using var refusedBatch = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { "five.com" } });

        Assert.Equal(HttpStatusCode.TooManyRequests, refusedScan.StatusCode);
        Assert.Equal("application/problem+json", refusedScan.Content.Headers.ContentType?.MediaType);
        var detail = await refusedScan.DetailAsync();
        Assert.Contains($"at most {QueueLimitedApiFixture.MaxQueued}", detail, StringComparison.Ordinal);
        Assert.Contains("3 are queued", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedBatch.StatusCode);
        Assert.Equal(3, await fixture.WithDbAsync(db => db.Jobs.CountAsync(j => j.TenantId == tenant.Id, TestContext.Current.CancellationToken)));

        using var otherTenant = fixture.CreateClient(fixture.TenantB);
        using var accepted = await otherTenant.PostJsonAsync("/api/v1/scrapersky", new { base_url = "four.com" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }
}
