using System.Net;

namespace ScraperSky.Server.Tests.Api;

public sealed class RateLimitedApiFixture : SqliteApiFixture
{
    public const int Requests = 5;
    public const int Batches = 2;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["RateLimits:RequestsPerWindow"] = Requests.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RateLimits:BatchesPerWindow"] = Batches.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RateLimits:Window"] = "01:00:00";
    }
}

/// Each test uses a key of its own, so each has a fresh budget.
public sealed class RateLimitTests(RateLimitedApiFixture fixture) : IClassFixture<RateLimitedApiFixture>
{
    [Fact]
    public async Task Requests_over_the_limit_get_429_with_retry_after_and_a_detail()
    {
        var tenant = await fixture.CreateTenantAsync("busy");
        using var client = fixture.CreateClient(tenant);
        for (var i = 0; i < RateLimitedApiFixture.Requests; i++)
        {
            using var allowed = await client.GetPathAsync("/api/v1/status/scan_00000000000000000000000000000000");
            Assert.Equal(HttpStatusCode.NotFound, allowed.StatusCode);
        }

        using var refused = await client.GetPathAsync("/api/v1/status/scan_00000000000000000000000000000000");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Contains("Rate limit exceeded", await refused.DetailAsync(), StringComparison.Ordinal);

        // Another key has its own budget, and health checks are never limited.
        var other = await fixture.CreateTenantAsync("quiet");
        using var otherClient = fixture.CreateClient(other);
        using var otherResponse = await otherClient.GetPathAsync("/api/v1/status/scan_00000000000000000000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, otherResponse.StatusCode);
        using var health = await client.GetPathAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Batch_submissions_have_a_lower_limit_of_their_own()
    {
        var tenant = await fixture.CreateTenantAsync("batcher");
        using var client = fixture.CreateClient(tenant);
        for (var i = 0; i < RateLimitedApiFixture.Batches; i++)
        {
            using var allowed = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { $"batch-limit-{i}.com" } });
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { "batch-limit-over.com" } });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));

        // Single scans still fit in the overall budget.
        using var scan = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "batch-limit-scan.com" });
        Assert.Equal(HttpStatusCode.OK, scan.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_limited_per_client_address_whatever_key_they_invent()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RateLimitedApiFixture.Requests; i++)
        {
            using var client = fixture.CreateClient(i % 2 == 0 ? null : $"ssk_invented_{i}");
            using var response = await client.GetPathAsync("/api/v1/status/scan_00000000000000000000000000000000");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, RateLimitedApiFixture.Requests).Append(HttpStatusCode.TooManyRequests), statuses);
    }
}
