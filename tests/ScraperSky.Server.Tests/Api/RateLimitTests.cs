using System.Net;

namespace ScraperSky.Server.Tests.Api;

public sealed class RateLimitedApiFixture : SqliteApiFixture
{
    public const int Requests = 5;
    public const int Submissions = 4;
    public const int Batches = 2;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["RateLimits:ReadsPerWindow"] = Requests.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["RateLimits:SubmissionsPerWindow"] = Submissions.ToString(System.Globalization.CultureInfo.InvariantCulture);
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
        var problem = await refused.JsonAsync();
        Assert.Contains("Rate limit exceeded", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too Many Requests", problem.GetProperty("title").GetString());
        Assert.StartsWith("https://", problem.GetProperty("type").GetString(), StringComparison.Ordinal);

        // Reads and submissions have budgets of their own: a client that polled its fill still submits.
        using var submit = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "after-reads.com" });
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);

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

        // Single scans still fit in the submission budget.
        using var scan = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "batch-limit-scan.com" });
        Assert.Equal(HttpStatusCode.OK, scan.StatusCode);
    }

    [Fact]
    public async Task A_batch_refused_for_its_content_does_not_use_up_the_batch_budget()
    {
        var tenant = await fixture.CreateTenantAsync("careless");
        using var client = fixture.CreateClient(tenant);
        using var empty = await client.PostJsonAsync("/api/v1/batch", new { domains = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        using var malformed = await client.PostJsonAsync("/api/v1/batch", new { domains = "not a list" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);

        for (var i = 0; i < RateLimitedApiFixture.Batches; i++)
        {
            using var allowed = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { $"careless-{i}.com" } });
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
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
