using System.Net;
using System.Text.Json;
using ScraperSky.Data;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Server.Tests.Api;

/// A completed scan's status is kept in memory once read (`CompletedScanStatuses`). These are the ways a kept answer
/// could go wrong: another tenant, a job that is not final, a change made by another process (here: the job queue
/// called directly, as another server on the same database would), a result that is not JSON.
public abstract class CompletedScanStatusTests(ApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_completed_scan_read_again_is_the_same_answer_and_still_no_other_tenants()
    {
        using var owner = fixture.CreateClient(fixture.TenantA);
        using var stranger = fixture.CreateClient(fixture.TenantB);
        var domain = $"kept-{Guid.NewGuid():N}.com";
        var jobId = await SubmitScanAsync(owner, domain);
        await EndDueJobsAsync(d => Site(d));

        using var first = await owner.GetPathAsync($"/api/v1/status/{jobId}");
        using var second = await owner.GetPathAsync($"/api/v1/status/{jobId}");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("application/json; charset=utf-8", second.Content.Headers.ContentType?.ToString());
        var (firstBody, secondBody) = (await first.Content.ReadAsStringAsync(Ct), await second.Content.ReadAsStringAsync(Ct));
        Assert.Equal(firstBody, secondBody);
        var body = JsonDocument.Parse(secondBody).RootElement;
        Assert.Equal(["job_id", "status", "started_at", "completed_at", "metadata", "error", "progress", "domain"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("completed", $"Welcome to {domain}"),
            (body.GetProperty("status").GetString(), body.GetProperty("metadata").GetProperty("title").GetString()));

        using var refused = await stranger.GetPathAsync($"/api/v1/status/{jobId}");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Failed_and_cancelled_scans_queued_again_by_another_process_show_pending_at_once()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var submitted = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { $"fails-{suffix}.com", $"waits-{suffix}.com" } });
        var batchId = (await submitted.JsonAsync()).GetProperty("batch_id").GetString()!;
        var batchGuid = PublicIds.TryParse(batchId, "batch_", out var parsed) ? parsed.Value : Guid.Empty;
        var jobs = (await (await client.GetPathAsync($"/api/v1/batch/status/{batchId}")).JsonAsync()).GetProperty("jobs")
            .EnumerateArray().ToDictionary(j => j.GetProperty("domain").GetString()!, j => j.GetProperty("job_id").GetString()!);
        var (failing, waiting) = (jobs[$"fails-{suffix}.com"], jobs[$"waits-{suffix}.com"]);

        var claimed = await fixture.WithServiceAsync<JobQueue, IReadOnlyList<ClaimedJob>>(q => q.ClaimAsync("test-worker", 50, Ct));
        var claim = Assert.Single(claimed, c => c.Domain == $"fails-{suffix}.com");
        foreach (var other in claimed.Where(c => c != claim))
        {
            await fixture.WithServiceAsync<JobQueue, bool>(q => q.ReleaseAsync(other, Ct));
        }

        await fixture.WithServiceAsync<JobQueue, FailureOutcome>(q => q.FailAsync(claim, "The site answered 404", isTransient: false, Ct));
        await fixture.WithServiceAsync<JobQueue, int>(q => q.CancelBatchAsync(batchGuid, Ct));
        Assert.Equal("failed", await StatusAsync(client, failing));
        Assert.Equal("failed", await StatusAsync(client, failing));
        Assert.Equal("cancelled", await StatusAsync(client, waiting));
        Assert.Equal("cancelled", await StatusAsync(client, waiting));

        Assert.Equal(2, await fixture.WithServiceAsync<JobQueue, int>(q => q.RetryBatchAsync(batchGuid, Ct)));
        Assert.Equal("pending", await StatusAsync(client, failing));
        Assert.Equal("pending", await StatusAsync(client, waiting));

        await EndDueJobsAsync(d => Site(d));
        Assert.Equal("completed", await StatusAsync(client, failing));
        Assert.Equal("completed", await StatusAsync(client, waiting));
    }

    private static SiteMetadata Site(string domain) => new() { Title = $"Welcome to {domain}", Language = "en", FinalUrl = $"https://{domain}/" };

    private static async Task<string> SubmitScanAsync(HttpClient client, string domain)
    {
        using var response = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = domain });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("job_id").GetString()!;
    }

    private static async Task<string> StatusAsync(HttpClient client, string jobId)
    {
        using var response = await client.GetPathAsync($"/api/v1/status/{jobId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("status").GetString()!;
    }

    /// Claims every due job and completes it through the job queue, as a worker would.
    private async Task EndDueJobsAsync(Func<string, SiteMetadata> outcome)
    {
        while (await fixture.WithServiceAsync<JobQueue, IReadOnlyList<ClaimedJob>>(q => q.ClaimAsync("test-worker", 50, Ct)) is { Count: > 0 } claims)
        {
            foreach (var claim in claims)
            {
                Assert.True(await fixture.WithServiceAsync<JobQueue, bool>(q => q.CompleteAsync(claim, outcome(claim.Domain), null, Ct)));
            }
        }
    }
}

public sealed class SqliteCompletedScanStatusTests(SqliteApiFixture fixture) : CompletedScanStatusTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresCompletedScanStatusTests(PostgresApiFixture fixture) : CompletedScanStatusTests(fixture), IClassFixture<PostgresApiFixture>;
