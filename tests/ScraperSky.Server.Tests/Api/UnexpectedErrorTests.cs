using System.Net;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Entities;

namespace ScraperSky.Server.Tests.Api;

public sealed class UnexpectedErrorTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public async Task An_unexpected_failure_is_a_500_problem_with_a_detail_and_no_stack_trace()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var submitted = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "broken-result.com" });
        var jobId = (await submitted.JsonAsync()).GetProperty("job_id").GetString()!;
        var id = PublicIds.TryParse(jobId, Job.PublicPrefix, out var parsed) ? parsed.Value : Guid.Empty;
        // Only SQLite lets a result that is not JSON into the column (PostgreSQL stores jsonb), which makes the read fail.
        await fixture.UpdateDbAsync(async db =>
        {
            await db.Jobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Completed), TestContext.Current.CancellationToken);
            db.DomainScans.Add(new DomainScan
            {
                Id = Guid.CreateVersion7(), TenantId = Tenant.DefaultId, Domain = "broken-result.com", JobId = id,
                Status = JobStatus.Completed, ScannedAt = DateTime.UtcNow, Result = "{not json",
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        using var response = await client.GetPathAsync($"/api/v1/status/{jobId}");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await response.DetailAsync()));

        // A completed scan's answer is kept once written; one that could not be written is not.
        using var again = await client.GetPathAsync($"/api/v1/status/{jobId}");
        Assert.Equal(HttpStatusCode.InternalServerError, again.StatusCode);
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem_with_a_detail()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.GetPathAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(await response.DetailAsync()));
    }
}
