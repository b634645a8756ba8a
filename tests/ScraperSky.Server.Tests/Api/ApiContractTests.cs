using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Server.Tests.Api;

/// Every field, status and error of API-V1.md, run once per database (see the derived classes at the end).
public abstract partial class ApiContractTests(ApiFixture fixture)
{
    private const string ScanUrl = "/api/v1/scrapersky";
    private const string BatchUrl = "/api/v1/batch";

    [GeneratedRegex("^scan_[0-9a-f]{32}$")]
    private static partial Regex ScanId();

    [GeneratedRegex("^batch_[0-9a-f]{32}$")]
    private static partial Regex BatchId();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")]
    private static partial Regex UtcTimestamp();

    private static string UniqueDomain(string label = "site") => $"{label}-{Guid.NewGuid():N}.com";

    [Fact]
    public async Task Scan_submission_returns_a_scan_id_and_its_status_url()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.PostJsonAsync(ScanUrl, new { base_url = "https://www.Example.com/path?q=1" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var jobId = body.GetProperty("job_id").GetString()!;
        Assert.Matches(ScanId(), jobId);
        Assert.Equal($"/api/v1/status/{jobId}", body.GetProperty("status_url").GetString());
        var job = await FindJobAsync(jobId);
        Assert.Equal("example.com", job.Domain);
        Assert.Equal(fixture.TenantA.Id, job.TenantId);
        Assert.Equal(JobStatus.Pending, job.Status);
    }

    [Theory]
    [InlineData("not a domain")]
    [InlineData("localhost")]
    [InlineData("http://127.0.0.1/")]
    [InlineData("")]
    [InlineData("ftp://example.com")]
    public async Task Scan_of_an_invalid_domain_is_a_400_naming_the_input(string input)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var before = await fixture.WithDbAsync(db => db.Jobs.CountAsync(TestContext.Current.CancellationToken));
        using var response = await client.PostJsonAsync(ScanUrl, new { base_url = input });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"Invalid domain format: {input}", await response.DetailAsync());
        Assert.Equal(before, await fixture.WithDbAsync(db => db.Jobs.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory]
    [InlineData("{\"base_url\": ", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("", "must be a JSON object")]
    [InlineData("{}", "'base_url' is required")]
    [InlineData("{\"base_url\": 5}", "'base_url' has the wrong type: expected a string")]
    [InlineData("{\"base_url\": \"example.com\", \"max_pages\": \"many\"}", "'max_pages' has the wrong type: expected an integer")]
    [InlineData("{\"base_url\": \"example.com\", \"max_pages\": \"10\"}", "'max_pages' has the wrong type")]
    [InlineData("{\"base_url\": \"example.com\", \"max_pages\": 1.5}", "'max_pages' has the wrong type")]
    [InlineData("{\"base_url\": \"example.com\", \"max_pages\": 0}", "'max_pages' must be a positive integer")]
    [InlineData("{\"base_url\": \"example.com\", \"tenant_id\": \"someone\"}", "'tenant_id' has the wrong type: expected a UUID")]
    public async Task Scan_with_a_malformed_body_or_a_missing_or_mistyped_field_is_a_422_with_a_detail(string body, string detail)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.PostRawAsync(ScanUrl, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(detail, await response.DetailAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_with_a_body_that_is_not_json_is_a_422()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.PostRawAsync(ScanUrl, "base_url=example.com", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("application/json", await response.DetailAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_scan_is_pending_since_acceptance_without_metadata()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var before = DateTime.UtcNow.AddSeconds(-1);
        var jobId = await SubmitScanAsync(client, UniqueDomain());

        using var response = await client.GetPathAsync($"/api/v1/status/{jobId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(jobId, body.GetProperty("job_id").GetString());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        var startedAt = body.GetProperty("started_at").GetString()!;
        Assert.Matches(UtcTimestamp(), startedAt);
        Assert.InRange(DateTime.Parse(startedAt, null, System.Globalization.DateTimeStyles.RoundtripKind), before, DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("completed_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("metadata").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("error").ValueKind);
        Assert.Equal("starting", body.GetProperty("progress").GetProperty("step").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("progress").GetProperty("message").ValueKind);
    }

    [Theory]
    [InlineData("starting", "Fetching the homepage")]
    [InlineData("extracting", "Reading the page")]
    [InlineData("storing", "Saving the result")]
    public async Task A_running_scan_reports_its_progress_step_and_still_no_metadata(string step, string message)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var jobId = await SubmitScanAsync(client, UniqueDomain());
        await UpdateJobAsync(jobId, job =>
        {
            job.Status = JobStatus.Running;
            job.StartedAt = DateTime.UtcNow;
            job.ProgressStep = step;
            job.ProgressMessage = message;
        }, result: "{\"title\":\"early\"}");
        // A result written early must not leak before the job completes.

        var body = await (await client.GetPathAsync($"/api/v1/status/{jobId}")).JsonAsync();
        Assert.Equal("running", body.GetProperty("status").GetString());
        Assert.Equal(step, body.GetProperty("progress").GetProperty("step").GetString());
        Assert.Equal(message, body.GetProperty("progress").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("metadata").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("completed_at").ValueKind);
    }

    [Fact]
    public async Task A_completed_scan_returns_the_stored_metadata_with_every_v1_field()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var jobId = await SubmitScanAsync(client, "example.com");
        var metadata = new SiteMetadata
        {
            Title = "Example Domain",
            Description = "This domain is for use in illustrative examples in documents.",
            Language = "en",
            FaviconUrl = "https://example.com/favicon.ico",
            LogoUrl = "https://example.com/logo.png",
            ContactInfo = new ContactInfo { Email = ["info@example.com"], Phone = ["+1-123-456-7890"] },
            SocialLinks = new SocialLinks { Facebook = "https://facebook.com/example" },
            TechStack = new TechStack { Frameworks = ["jQuery", "Vue"], Analytics = ["Google Analytics"] },
            Performance = new PagePerformance { ImageCount = 16, ScriptCount = 39, CssCount = 3, FormCount = 5, LinkCount = 256, TotalElements = 1389 },
        };
        var stored = JsonSerializer.Serialize(metadata, ScanJson.Options);
        var completedAt = DateTime.UtcNow;
        await UpdateJobAsync(jobId, job =>
        {
            job.Status = JobStatus.Completed;
            job.StartedAt = completedAt.AddSeconds(-1);
            job.CompletedAt = completedAt;
            job.ProgressStep = ScanSteps.Completed;
            job.ProgressMessage = "Scan completed successfully";
        }, result: stored);

        var body = await (await client.GetPathAsync($"/api/v1/status/{jobId}")).JsonAsync();
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Matches(UtcTimestamp(), body.GetProperty("completed_at").GetString()!);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("error").ValueKind);
        Assert.Equal("completed", body.GetProperty("progress").GetProperty("step").GetString());
        Assert.Equal("Scan completed successfully", body.GetProperty("progress").GetProperty("message").GetString());
        var returned = body.GetProperty("metadata");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(returned.GetRawText())));

        Assert.Equal("Example Domain", returned.GetProperty("title").GetString());
        foreach (var field in new[] { "description", "language", "is_wordpress", "wordpress_version", "has_elementor", "favicon_url", "logo_url" })
        {
            Assert.True(returned.TryGetProperty(field, out _), field);
        }

        Assert.Equal("info@example.com", returned.GetProperty("contact_info").GetProperty("email")[0].GetString());
        Assert.Equal(JsonValueKind.Array, returned.GetProperty("contact_info").GetProperty("phone").ValueKind);
        foreach (var network in new[] { "facebook", "twitter", "linkedin", "instagram", "youtube" })
        {
            Assert.True(returned.GetProperty("social_links").TryGetProperty(network, out _), network);
        }

        Assert.Equal(JsonValueKind.Null, returned.GetProperty("social_links").GetProperty("youtube").ValueKind);
        foreach (var category in new[] { "cms", "frameworks", "analytics", "widgets" })
        {
            Assert.Equal(JsonValueKind.Array, returned.GetProperty("tech_stack").GetProperty(category).ValueKind);
        }

        var performance = returned.GetProperty("performance");
        Assert.Equal(1389, performance.GetProperty("total_elements").GetInt32());
        foreach (var count in new[] { "image_count", "script_count", "css_count", "form_count", "link_count" })
        {
            Assert.Equal(JsonValueKind.Number, performance.GetProperty(count).ValueKind);
        }
    }

    [Fact]
    public async Task A_failed_scan_reports_its_error_and_the_failed_step()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var jobId = await SubmitScanAsync(client, UniqueDomain());
        await UpdateJobAsync(jobId, job =>
        {
            job.Status = JobStatus.Failed;
            job.CompletedAt = DateTime.UtcNow;
            job.ProgressStep = ScanSteps.Failed;
            job.ProgressMessage = "Could not connect";
            job.Error = "Could not connect to the site: connection refused";
        });

        var body = await (await client.GetPathAsync($"/api/v1/status/{jobId}")).JsonAsync();
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal("Could not connect to the site: connection refused", body.GetProperty("error").GetString());
        Assert.Equal("failed", body.GetProperty("progress").GetProperty("step").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("metadata").ValueKind);
        Assert.Matches(UtcTimestamp(), body.GetProperty("completed_at").GetString()!);
    }

    [Theory]
    [InlineData("prefixed")]
    [InlineData("bare")]
    [InlineData("dashed")]
    [InlineData("upper")]
    public async Task A_scan_is_found_by_its_prefixed_id_and_by_its_bare_uuid(string form)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var jobId = await SubmitScanAsync(client, UniqueDomain());
        var uuid = Guid.ParseExact(jobId["scan_".Length..], "N");

        using var response = await client.GetPathAsync($"/api/v1/status/{IdForm(form, "scan_", uuid)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(jobId, (await response.JsonAsync()).GetProperty("job_id").GetString());
    }

    [Theory]
    [InlineData("scan_00000000000000000000000000000000")]
    [InlineData("9b2f0c1e-0000-4000-8000-000000000000")]
    [InlineData("scan_not-an-id")]
    [InlineData("batch_1fa3b605358f4a0d927c0d11b0eb27de")]
    [InlineData("12345")]
    public async Task An_unknown_or_malformed_job_id_is_404_job_not_found(string id)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.GetPathAsync($"/api/v1/status/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Job not found", await response.DetailAsync());
    }

    [Fact]
    public async Task Another_tenants_scan_and_batch_are_404()
    {
        using var owner = fixture.CreateClient(fixture.TenantA);
        using var stranger = fixture.CreateClient(fixture.TenantB);
        var jobId = await SubmitScanAsync(owner, UniqueDomain());
        var batchId = await SubmitBatchAsync(owner, [UniqueDomain()]);

        using var job = await stranger.GetPathAsync($"/api/v1/status/{jobId}");
        Assert.Equal(HttpStatusCode.NotFound, job.StatusCode);
        Assert.Equal("Job not found", await job.DetailAsync());
        using var batch = await stranger.GetPathAsync($"/api/v1/batch/status/{batchId}");
        Assert.Equal(HttpStatusCode.NotFound, batch.StatusCode);
        Assert.Equal("Batch not found", await batch.DetailAsync());
        using var own = await owner.GetPathAsync($"/api/v1/status/{jobId}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task The_same_domain_scanned_by_two_tenants_is_two_jobs_each_in_its_own_tenant()
    {
        using var a = fixture.CreateClient(fixture.TenantA);
        using var b = fixture.CreateClient(fixture.TenantB);
        var domain = UniqueDomain();
        var jobA = await FindJobAsync(await SubmitScanAsync(a, domain));
        var jobB = await FindJobAsync(await SubmitScanAsync(b, domain));

        Assert.NotEqual(jobA.Id, jobB.Id);
        Assert.Equal(fixture.TenantA.Id, jobA.TenantId);
        Assert.Equal(fixture.TenantB.Id, jobB.TenantId);
    }

    [Fact]
    public async Task Max_pages_is_stored_in_the_job_options()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.PostJsonAsync(ScanUrl, new { base_url = UniqueDomain(), max_pages = 1000 });
        var job = await FindJobAsync((await response.JsonAsync()).GetProperty("job_id").GetString()!);
        Assert.Equal(1000, ScanJobOptions.FromJson(job.Options).MaxPages);

        var batchId = await SubmitBatchAsync(client, [UniqueDomain()], maxPages: 7);
        var batchJob = await fixture.WithDbAsync(db => db.Jobs.AsNoTracking()
            .SingleAsync(j => j.BatchId == ParseId(batchId, "batch_"), TestContext.Current.CancellationToken));
        Assert.Equal(7, ScanJobOptions.FromJson(batchJob.Options).MaxPages);
        Assert.Equal(3, batchJob.MaxAttempts);
    }

    [Fact]
    public async Task Batch_submission_returns_a_batch_id_status_url_and_job_count()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.PostJsonAsync(BatchUrl, new { domains = new[] { UniqueDomain(), UniqueDomain(), UniqueDomain() } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var batchId = body.GetProperty("batch_id").GetString()!;
        Assert.Matches(BatchId(), batchId);
        Assert.Equal($"/api/v1/batch/status/{batchId}", body.GetProperty("status_url").GetString());
        Assert.Equal(3, body.GetProperty("job_count").GetInt32());
    }

    [Fact]
    public async Task A_batch_lists_every_entry_from_the_first_status_call_with_invalid_ones_failed_and_duplicates_once()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var first = UniqueDomain("first");
        var second = UniqueDomain("second");
        var batchId = await SubmitBatchAsync(client,
            [first, $"https://www.{first.ToUpperInvariant()}/about", "not a domain", second, first, "localhost"]);

        var body = await (await client.GetPathAsync($"/api/v1/batch/status/{batchId}")).JsonAsync();
        Assert.Equal(batchId, body.GetProperty("batch_id").GetString());
        Assert.Matches(UtcTimestamp(), body.GetProperty("started_at").GetString()!);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("completed_at").ValueKind);
        Assert.Equal(4, body.GetProperty("total_jobs").GetInt32());
        Assert.Equal(0, body.GetProperty("completed_jobs").GetInt32());
        Assert.Equal(2, body.GetProperty("failed_jobs").GetInt32());
        Assert.Equal("in_progress", body.GetProperty("status").GetString());

        var jobs = body.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal([first, "not a domain", second, "localhost"], jobs.Select(j => j.GetProperty("domain").GetString()));
        Assert.All(jobs, j => Assert.Matches(ScanId(), j.GetProperty("job_id").GetString()!));
        Assert.Equal(["pending", "failed", "pending", "failed"], jobs.Select(j => j.GetProperty("status").GetString()));
        Assert.False(jobs[0].TryGetProperty("error", out _));
        Assert.Equal("Invalid domain format: not a domain", jobs[1].GetProperty("error").GetString());
        Assert.Equal("Invalid domain format: localhost", jobs[3].GetProperty("error").GetString());

        // Each listed job is a real job, readable on its own.
        var failed = await (await client.GetPathAsync($"/api/v1/status/{jobs[1].GetProperty("job_id").GetString()}")).JsonAsync();
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("Invalid domain format: not a domain", failed.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("pending,pending", "pending", 0, 0)]
    [InlineData("running,pending", "in_progress", 0, 0)]
    [InlineData("completed,pending", "in_progress", 1, 0)]
    [InlineData("failed,running", "in_progress", 0, 1)]
    [InlineData("completed,completed", "completed", 2, 0)]
    [InlineData("failed,failed", "failed", 0, 2)]
    [InlineData("completed,failed", "partial", 1, 1)]
    public async Task Batch_status_follows_the_states_of_its_jobs(string states, string expected, int completed, int failed)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var batchId = await SubmitBatchAsync(client, [UniqueDomain(), UniqueDomain()]);
        var jobIds = await fixture.WithDbAsync(db => db.Jobs.Where(j => j.BatchId == ParseId(batchId, "batch_"))
            .OrderBy(j => j.Id).Select(j => j.Id).ToListAsync(TestContext.Current.CancellationToken));
        var now = DateTime.UtcNow;
        foreach (var (id, state) in jobIds.Zip(states.Split(',')))
        {
            await UpdateJobAsync(PublicIds.Format("scan_", id), job => SetState(job, EnumNames.FromWire<JobStatus>(state), now),
                state == "completed" ? "{\"title\":\"done\"}" : null);
        }

        var body = await (await client.GetPathAsync($"/api/v1/batch/status/{batchId}")).JsonAsync();
        Assert.Equal(expected, body.GetProperty("status").GetString());
        Assert.Equal(2, body.GetProperty("total_jobs").GetInt32());
        Assert.Equal(completed, body.GetProperty("completed_jobs").GetInt32());
        Assert.Equal(failed, body.GetProperty("failed_jobs").GetInt32());
        var ended = expected is "completed" or "failed" or "partial";
        Assert.Equal(ended ? JsonValueKind.String : JsonValueKind.Null, body.GetProperty("completed_at").ValueKind);
        var entries = body.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(states.Split(','), entries.Select(j => j.GetProperty("status").GetString()));
        Assert.All(entries.Where(j => j.GetProperty("status").GetString() == "failed"),
            j => Assert.Equal("The site answered 404", j.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("prefixed")]
    [InlineData("bare")]
    [InlineData("dashed")]
    public async Task A_batch_is_found_by_its_prefixed_id_and_by_its_bare_uuid(string form)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var batchId = await SubmitBatchAsync(client, [UniqueDomain()]);

        using var response = await client.GetPathAsync($"/api/v1/batch/status/{IdForm(form, "batch_", ParseId(batchId, "batch_"))}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(batchId, (await response.JsonAsync()).GetProperty("batch_id").GetString());
    }

    [Theory]
    [InlineData("batch_00000000000000000000000000000000")]
    [InlineData("batch_zzz")]
    [InlineData("scan_1fa3b605358f4a0d927c0d11b0eb27de")]
    public async Task An_unknown_or_malformed_batch_id_is_404_batch_not_found(string id)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.GetPathAsync($"/api/v1/batch/status/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Batch not found", await response.DetailAsync());
    }

    [Fact]
    public async Task An_empty_batch_is_400_no_domains_provided()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.PostJsonAsync(BatchUrl, new { domains = Array.Empty<string>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("No domains provided", await response.DetailAsync());
    }

    [Theory]
    [InlineData("{\"domains\": \"example.com\"}", "'domains' has the wrong type: expected an array")]
    [InlineData("{\"domains\": [\"example.com\", 42]}", "'domains[1]' has the wrong type: expected a string")]
    [InlineData("{\"tenant_id\": null}", "'domains' is required")]
    [InlineData("{\"domains\": [\"example.com\"", "not valid JSON")]
    public async Task A_batch_with_a_malformed_body_is_a_422_with_a_detail(string body, string detail)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.PostRawAsync(BatchUrl, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(detail, await response.DetailAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_over_the_limit_is_400_naming_the_limit_and_writes_nothing()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var before = await fixture.WithDbAsync(db => db.BatchJobs.CountAsync(TestContext.Current.CancellationToken));
        var domains = Enumerable.Range(0, 10_001).Select(i => $"site{i}.com").ToArray();
        using var response = await client.PostJsonAsync(BatchUrl, new { domains });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("10000", await response.DetailAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.WithDbAsync(db => db.BatchJobs.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task A_batch_of_ten_thousand_invalid_domains_is_ten_thousand_failed_jobs_with_exact_counters()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var domains = Enumerable.Range(0, 10_000).Select(i => $"not a domain {i}").ToArray();
        using var response = await client.PostJsonAsync(BatchUrl, new { domains });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var accepted = await response.JsonAsync();
        Assert.Equal(10_000, accepted.GetProperty("job_count").GetInt32());
        var batchId = accepted.GetProperty("batch_id").GetString()!;

        var body = await (await client.GetPathAsync($"/api/v1/batch/status/{batchId}")).JsonAsync();
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Equal(10_000, body.GetProperty("total_jobs").GetInt32());
        Assert.Equal(10_000, body.GetProperty("failed_jobs").GetInt32());
        Assert.Equal(0, body.GetProperty("completed_jobs").GetInt32());
        Assert.Matches(UtcTimestamp(), body.GetProperty("completed_at").GetString()!);
        var jobs = body.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(10_000, jobs.Count);
        Assert.All(jobs, j => Assert.Equal($"Invalid domain format: {j.GetProperty("domain").GetString()}", j.GetProperty("error").GetString()));

        var id = ParseId(batchId, "batch_");
        var (rows, failedRows, batch) = await fixture.WithDbAsync(async db => (
            await db.Jobs.CountAsync(j => j.BatchId == id, TestContext.Current.CancellationToken),
            await db.Jobs.CountAsync(j => j.BatchId == id && j.Status == JobStatus.Failed, TestContext.Current.CancellationToken),
            await db.BatchJobs.AsNoTracking().SingleAsync(b => b.Id == id, TestContext.Current.CancellationToken)));
        Assert.Equal(10_000, rows);
        Assert.Equal(10_000, failedRows);
        Assert.Equal((10_000, 0, 10_000, BatchStatus.Failed), (batch.TotalJobs, batch.CompletedJobs, batch.FailedJobs, batch.Status));
    }

    [Fact]
    public async Task Entries_a_database_cannot_hold_as_text_become_failed_jobs_not_errors()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var valid = UniqueDomain("valid");
        var huge = new string('x', 5000) + ".com";
        using var response = await client.PostRawAsync(BatchUrl,
            $$$"""{"domains": ["nul\u0000inside.com", "tab\tinside", "{{{huge}}}", "{{{valid}}}"]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batchId = (await response.JsonAsync()).GetProperty("batch_id").GetString()!;

        var body = await (await client.GetPathAsync($"/api/v1/batch/status/{batchId}")).JsonAsync();
        var jobs = body.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(["failed", "failed", "failed", "pending"], jobs.Select(j => j.GetProperty("status").GetString()));
        Assert.Equal("nul\uFFFDinside.com", jobs[0].GetProperty("domain").GetString());
        Assert.Equal("Invalid domain format: tab\uFFFDinside", jobs[1].GetProperty("error").GetString());
        Assert.Equal(2048, jobs[2].GetProperty("domain").GetString()!.Length);
        Assert.Equal(valid, jobs[3].GetProperty("domain").GetString());
    }

    [Fact]
    public async Task A_batch_whose_insert_fails_leaves_no_batch_and_no_job_behind()
    {
        var missingTenant = Guid.NewGuid();
        await Assert.ThrowsAsync<DbUpdateException>(() => fixture.WithServiceAsync<JobSubmission, SubmittedBatch>(submission =>
            submission.SubmitBatchAsync(missingTenant, ["one.com", "two.com", "not valid"], new ScanJobOptions(), TestContext.Current.CancellationToken)));

        var (batches, jobs) = await fixture.WithDbAsync(async db => (
            await db.BatchJobs.CountAsync(b => b.TenantId == missingTenant, TestContext.Current.CancellationToken),
            await db.Jobs.CountAsync(j => j.TenantId == missingTenant, TestContext.Current.CancellationToken)));
        Assert.Equal(0, batches);
        Assert.Equal(0, jobs);
    }

    [Fact]
    public async Task Requests_without_a_key_or_with_an_invalid_or_revoked_key_are_401()
    {
        foreach (var key in new string?[] { null, "ssk_not-a-real-key", fixture.RevokedKey })
        {
            using var client = fixture.CreateClient(key);
            using var scan = await client.PostJsonAsync(ScanUrl, new { base_url = "example.com" });
            Assert.Equal(HttpStatusCode.Unauthorized, scan.StatusCode);
            Assert.False(string.IsNullOrWhiteSpace(await scan.DetailAsync()));
            using var status = await client.GetPathAsync("/api/v1/status/scan_00000000000000000000000000000000");
            Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
            using var batch = await client.PostJsonAsync(BatchUrl, new { domains = new[] { "example.com" } });
            Assert.Equal(HttpStatusCode.Unauthorized, batch.StatusCode);
        }
    }

    [Fact]
    public async Task A_key_is_accepted_as_a_bearer_token_too_and_its_use_is_recorded()
    {
        using var client = fixture.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.TenantA.Key);
        var jobId = await SubmitScanAsync(client, UniqueDomain());

        Assert.Equal(fixture.TenantA.Id, (await FindJobAsync(jobId)).TenantId);
        var key = await fixture.WithDbAsync(db => db.ApiKeys.AsNoTracking()
            .SingleAsync(k => k.Id == fixture.TenantA.KeyId, TestContext.Current.CancellationToken));
        Assert.NotNull(key.LastUsedAt);
        Assert.DoesNotContain(fixture.TenantA.Key, key.KeyHash, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", key.KeyHash);
    }

    [Fact]
    public async Task A_body_tenant_that_disagrees_with_the_key_is_403_and_an_agreeing_one_is_accepted()
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        var refused = UniqueDomain("refused");
        using var scan = await client.PostJsonAsync(ScanUrl, new { base_url = refused, tenant_id = fixture.TenantB.Id });
        Assert.Equal(HttpStatusCode.Forbidden, scan.StatusCode);
        Assert.Contains("tenant_id", await scan.DetailAsync(), StringComparison.Ordinal);
        using var batch = await client.PostJsonAsync(BatchUrl, new { domains = new[] { refused }, tenant_id = fixture.TenantB.Id });
        Assert.Equal(HttpStatusCode.Forbidden, batch.StatusCode);
        Assert.Equal(0, await fixture.WithDbAsync(db => db.Jobs.CountAsync(j => j.Domain == refused, TestContext.Current.CancellationToken)));

        var accepted = UniqueDomain("accepted");
        using var agreeing = await client.PostJsonAsync(ScanUrl, new { base_url = accepted, tenant_id = fixture.TenantA.Id });
        Assert.Equal(HttpStatusCode.OK, agreeing.StatusCode);
        Assert.Equal(1, await fixture.WithDbAsync(db => db.Jobs.CountAsync(j => j.Domain == accepted && j.TenantId == fixture.TenantA.Id, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Health_and_the_openapi_document_need_no_key()
    {
        using var client = fixture.CreateClient();
        using var health = await client.GetPathAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("healthy", (await health.JsonAsync()).GetProperty("status").GetString());

        using var openApi = await client.GetPathAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var paths = (await openApi.JsonAsync()).GetProperty("paths");
        foreach (var path in new[] { "/api/v1/scrapersky", "/api/v1/batch", "/api/v1/status/{jobId}", "/api/v1/batch/status/{batchId}", "/health" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    private async Task<string> SubmitScanAsync(HttpClient client, string domain)
    {
        using var response = await client.PostJsonAsync(ScanUrl, new { base_url = domain });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("job_id").GetString()!;
    }

    private static async Task<string> SubmitBatchAsync(HttpClient client, string[] domains, int? maxPages = null)
    {
        using var response = await client.PostJsonAsync(BatchUrl, new { domains, max_pages = maxPages });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("batch_id").GetString()!;
    }

    private Task<Job> FindJobAsync(string jobId)
    {
        var id = ParseId(jobId, "scan_");
        return fixture.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, TestContext.Current.CancellationToken));
    }

    /// Changes a job's row; a <paramref name="result"/> is stored as the job's completed scan, where results live.
    private Task UpdateJobAsync(string jobId, Action<Job> change, string? result = null)
    {
        var id = ParseId(jobId, "scan_");
        return fixture.UpdateDbAsync(async db =>
        {
            var job = await db.Jobs.SingleAsync(j => j.Id == id, TestContext.Current.CancellationToken);
            change(job);
            if (result is not null)
            {
                db.DomainScans.Add(new DomainScan
                {
                    Id = Guid.CreateVersion7(), TenantId = job.TenantId, Domain = job.Domain, JobId = job.Id,
                    Status = JobStatus.Completed, ScannedAt = DateTime.UtcNow, Result = result,
                });
            }

            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
    }

    private static void SetState(Job job, JobStatus status, DateTime now)
    {
        job.Status = status;
        if (status != JobStatus.Pending)
        {
            job.StartedAt = now;
        }

        if (status is JobStatus.Completed or JobStatus.Failed)
        {
            job.CompletedAt = now;
        }

        if (status == JobStatus.Failed)
        {
            job.Error = "The site answered 404";
        }
    }

    private static Guid ParseId(string publicId, string prefix) =>
        PublicIds.TryParse(publicId, prefix, out var id) ? id.Value : throw new FormatException(publicId);

    private static string IdForm(string form, string prefix, Guid id) => form switch
    {
        "prefixed" => prefix + id.ToString("N"),
        "bare" => id.ToString("N"),
        "dashed" => id.ToString("D"),
        "upper" => id.ToString("D").ToUpperInvariant(),
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };
}

public sealed class SqliteApiContractTests(SqliteApiFixture fixture) : ApiContractTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresApiContractTests(PostgresApiFixture fixture) : ApiContractTests(fixture), IClassFixture<PostgresApiFixture>;
