using System.Net;
using System.Text.Json;
using ScraperSky.Data;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Server.Tests.Api;

/// A page of a batch's status and the batch listing take pending and running from the batch row's counters and the
/// running jobs: exact through every state a job passes, as the job queue moves it.
public abstract class BatchCounterTests(ApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pending_and_running_are_exact_through_completion_failure_cancelling_and_retry()
    {
        var tenant = await fixture.CreateTenantAsync("counted");
        using var client = fixture.CreateClient(tenant);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var submitted = await client.PostJsonAsync("/api/v1/batch", new { domains = Enumerable.Range(0, 6).Select(i => $"count{i}-{suffix}.com").Append("not valid!") });
        var batchId = (await submitted.JsonAsync()).GetProperty("batch_id").GetString()!;
        var batch = PublicIds.TryParse(batchId, "batch_", out var parsed) ? parsed.Value : Guid.Empty;
        Assert.Equal((7, 0, 1, 0, 6, 0), await CountersAsync(client, batchId));

        var claimed = await fixture.WithServiceAsync<JobQueue, IReadOnlyList<ClaimedJob>>(q => q.ClaimAsync("test-worker", 3, Ct));
        Assert.Equal(3, claimed.Count);
        Assert.Equal((7, 0, 1, 0, 3, 3), await CountersAsync(client, batchId));

        Assert.True(await fixture.WithServiceAsync<JobQueue, bool>(q => q.CompleteAsync(claimed[0], Site(claimed[0].Domain), null, Ct)));
        await fixture.WithServiceAsync<JobQueue, FailureOutcome>(q => q.FailAsync(claimed[1], "The site answered 404", isTransient: false, Ct));
        Assert.Equal((7, 1, 2, 0, 3, 1), await CountersAsync(client, batchId));

        Assert.Equal(3, await fixture.WithServiceAsync<JobQueue, int>(q => q.CancelBatchAsync(batch, Ct)));
        Assert.Equal((7, 1, 2, 3, 0, 1), await CountersAsync(client, batchId));

        Assert.True(await fixture.WithServiceAsync<JobQueue, bool>(q => q.CompleteAsync(claimed[2], Site(claimed[2].Domain), null, Ct)));
        Assert.Equal((7, 2, 2, 3, 0, 0), await CountersAsync(client, batchId));

        // The started failure and the three cancelled jobs are queued again; the invalid entry stays failed.
        Assert.Equal(4, await fixture.WithServiceAsync<JobQueue, int>(q => q.RetryBatchAsync(batch, Ct)));
        Assert.Equal((7, 2, 1, 0, 4, 0), await CountersAsync(client, batchId));
        while (await fixture.WithServiceAsync<JobQueue, IReadOnlyList<ClaimedJob>>(q => q.ClaimAsync("test-worker", 50, Ct)) is { Count: > 0 } claims)
        {
            foreach (var claim in claims)
            {
                Assert.True(await fixture.WithServiceAsync<JobQueue, bool>(q => q.CompleteAsync(claim, Site(claim.Domain), null, Ct)));
            }
        }

        Assert.Equal((7, 6, 1, 0, 0, 0), await CountersAsync(client, batchId));
    }

    private static SiteMetadata Site(string domain) => new() { Title = $"Welcome to {domain}", FinalUrl = $"https://{domain}/" };

    /// Total, completed, failed, cancelled, pending and running, as a page of the status and the listing both show them.
    private static async Task<(int, int, int, int, int, int)> CountersAsync(HttpClient client, string batchId)
    {
        using var page = await client.GetPathAsync($"/api/v1/batch/status/{batchId}?jobs_limit=2");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var counters = Read(await page.JsonAsync());
        using var list = await client.GetPathAsync("/api/v1/batches");
        var listed = (await list.JsonAsync()).GetProperty("items").EnumerateArray().Single(b => b.GetProperty("batch_id").GetString() == batchId);
        Assert.Equal(counters, Read(listed));
        return counters;
    }

    private static (int, int, int, int, int, int) Read(JsonElement body) => (
        body.GetProperty("total_jobs").GetInt32(), body.GetProperty("completed_jobs").GetInt32(), body.GetProperty("failed_jobs").GetInt32(),
        body.GetProperty("cancelled_jobs").GetInt32(), body.GetProperty("pending_jobs").GetInt32(), body.GetProperty("running_jobs").GetInt32());
}

public sealed class SqliteBatchCounterTests(SqliteApiFixture fixture) : BatchCounterTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresBatchCounterTests(PostgresApiFixture fixture) : BatchCounterTests(fixture), IClassFixture<PostgresApiFixture>;
