using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MiniExcelLibs;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;
using ScraperSky.Server.Tests.Api;

namespace ScraperSky.Server.Tests.Results;

/// The results a sales team reads: domains, their history, batch results, uploads, exports, cancel and retry and the
/// event stream. Workers are off in the fixture; scans end through the real job queue, as a worker ends them.
public abstract class ResultsApiTests(ApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SiteMetadata Site(string domain, bool wordpress = false, string? email = null) => new()
    {
        Title = $"Welcome to {domain}",
        Description = "We sell things",
        Language = "en",
        IsWordpress = wordpress,
        WordpressVersion = wordpress ? "6.5.2" : null,
        FinalUrl = $"https://{domain}/",
        ContactInfo = new ContactInfo
        {
            Email = email is null ? [] : [email, $"jane.doe@{domain}"],
            Phone = email is null ? [] : ["+1 212-555-0100"],
            EmailsDetail = email is null ? [] :
            [
                new EmailContact(email, "role", [$"https://{domain}/contact"], true),
                new EmailContact($"jane.doe@{domain}", "personal", [$"https://{domain}/team"], true),
            ],
        },
        Company = email is null ? null : new CompanyDetails
        {
            LegalName = new SourcedValue($"{domain} GmbH", $"https://{domain}/impressum"),
            Country = new SourcedValue("DE", $"https://{domain}/impressum"),
            VatId = new SourcedValue("DE301234567", $"https://{domain}/impressum"),
            ManagingDirectors = [new SourcedValue("Anna Schmidt", $"https://{domain}/impressum")],
        },
        LanguageSource = "html_lang",
        SocialLinks = new SocialLinks { Linkedin = $"https://linkedin.com/company/{domain}" },
        Technologies = wordpress
            ? [new DetectedTechnology("WordPress", ["CMS", "Blogs"], "6.5.2", 100), new DetectedTechnology("jQuery", ["JavaScript libraries"], null, 100)]
            : [new DetectedTechnology("Shopify", ["Ecommerce"], null, 100)],
        Sitemaps = new SitemapSummary { Files = 1, Urls = 25 },
    };

    /// Claims every due job and ends it: with the site <paramref name="outcome"/> gives, or failed when it gives null.
    private async Task<int> RunDueJobsAsync(Func<string, SiteMetadata?> outcome)
    {
        var ended = 0;
        while (true)
        {
            var claims = await fixture.WithServiceAsync<JobQueue, IReadOnlyList<ClaimedJob>>(q => q.ClaimAsync("test-worker", 50, Ct));
            if (claims.Count == 0)
            {
                return ended;
            }

            foreach (var claim in claims)
            {
                var site = outcome(claim.Domain);
                await fixture.WithServiceAsync<JobQueue, bool>(async q => site is null
                    ? await q.FailAsync(claim, $"{claim.Domain} answered HTTP 404 (Not Found).", isTransient: false, Ct) == FailureOutcome.Failed
                    : await q.CompleteAsync(claim, site, null, Ct));
                ended++;
            }
        }
    }

    private static async Task<string> SubmitBatchAsync(HttpClient client, IEnumerable<string> domains)
    {
        using var response = await client.PostJsonAsync("/api/v1/batch", new { domains });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("batch_id").GetString()!;
    }

    [Fact]
    public async Task Domains_are_searched_by_their_facts_and_paged_with_a_cursor()
    {
        var tenant = await fixture.CreateTenantAsync("searcher");
        using var client = fixture.CreateClient(tenant);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] domains = [$"alpha-{suffix}.com", $"bravo-{suffix}.com", $"charlie-{suffix}.com", $"delta-{suffix}.com"];
        await SubmitBatchAsync(client, domains);
        await RunDueJobsAsync(d => d.StartsWith("delta", StringComparison.Ordinal) ? null
            : Site(d, wordpress: !d.StartsWith("bravo", StringComparison.Ordinal), email: d.StartsWith("alpha", StringComparison.Ordinal) ? $"info@{d}" : null));

        async Task<List<string>> NamesAsync(string query)
        {
            using var response = await client.GetPathAsync("/api/v1/domains?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("domain").GetString()!)];
        }

        Assert.Equal(domains, await NamesAsync(""));
        Assert.Equal([domains[0], domains[2]], await NamesAsync("tech=wordpress"));
        Assert.Equal([domains[0], domains[2]], await NamesAsync("tech=WordPress&tech=jquery"));
        Assert.Equal([domains[1]], await NamesAsync("category=ecommerce"));
        Assert.Equal([domains[0]], await NamesAsync("has_email=true"));
        Assert.Equal([domains[0]], await NamesAsync("has_phone=true"));
        Assert.Equal([domains[1], domains[2], domains[3]], await NamesAsync("has_email=false"));
        Assert.Equal([domains[0], domains[2]], await NamesAsync("wordpress=true"));
        Assert.Equal([domains[3]], await NamesAsync("status=failed"));
        Assert.Equal([domains[0], domains[1], domains[2]], await NamesAsync("language=en"));
        Assert.Equal([domains[2]], await NamesAsync("q=CHARLIE"));
        Assert.Equal([domains[3], domains[2], domains[1], domains[0]], await NamesAsync("sort=-domain"));

        // Two at a time, the cursor walks every domain once.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            using var response = await client.GetPathAsync("/api/v1/domains?limit=2&sort=-last_scan_at" + (cursor is null ? "" : "&cursor=" + cursor));
            var body = await response.JsonAsync();
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("domain").GetString()!));
            cursor = body.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(domains.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));

        // Another tenant sees none of them.
        using var other = fixture.CreateClient(fixture.TenantB);
        using var theirs = await other.GetPathAsync("/api/v1/domains?q=" + suffix);
        Assert.Empty((await theirs.JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Domains_filter_by_batch_and_scan_time_and_export_exactly_the_filtered_set()
    {
        var tenant = await fixture.CreateTenantAsync("exporter");
        using var client = fixture.CreateClient(tenant);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var first = await SubmitBatchAsync(client, [$"one-{suffix}.com", $"two-{suffix}.com"]);
        await RunDueJobsAsync(d => Site(d, wordpress: true));
        var between = DateTime.UtcNow;
        await Task.Delay(50, Ct);
        var second = await SubmitBatchAsync(client, [$"three-{suffix}.com", $"two-{suffix}.com"]);
        await RunDueJobsAsync(d => Site(d, email: $"info@{d}"));

        async Task<List<string>> NamesAsync(string query)
        {
            using var response = await client.GetPathAsync("/api/v1/domains?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("domain").GetString()!)];
        }

        Assert.Equal([$"one-{suffix}.com", $"two-{suffix}.com"], await NamesAsync($"batch_id={first}"));
        Assert.Equal([$"three-{suffix}.com", $"two-{suffix}.com"], await NamesAsync($"batch_id={second}"));
        var after = Uri.EscapeDataString(between.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([$"three-{suffix}.com", $"two-{suffix}.com"], await NamesAsync($"scanned_after={after}"));

        // The files hold exactly the filtered domains, one row each, in the listing's order.
        using var csv = await client.GetPathAsync($"/api/v1/domains?has_email=true&format=csv");
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("domain,status,error,title,", lines[0], StringComparison.Ordinal);
        Assert.Equal([$"three-{suffix}.com", $"two-{suffix}.com"], lines.Skip(1).Select(l => l.Split(',')[0]));
        using var jsonl = await client.GetPathAsync($"/api/v1/domains?wordpress=true&format=jsonl");
        Assert.Equal("application/x-ndjson", jsonl.Content.Headers.ContentType?.MediaType);
        var records = (await jsonl.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"one-{suffix}.com"], records.Select(r => JsonDocument.Parse(r).RootElement.GetProperty("domain").GetString()));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/domains");
        request.Headers.Accept.ParseAdd("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var xlsx = await client.SendAsync(request, Ct);
        await using var book = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct));
        var sheet = MiniExcel.Query(book, useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal([$"one-{suffix}.com", $"three-{suffix}.com", $"two-{suffix}.com"], sheet.Select(r => r["domain"]?.ToString()));
        Assert.Equal("WordPress 6.5.2; jQuery", sheet[0]["technologies"]?.ToString());
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("has_email=maybe", "has_email")]
    [InlineData("sort=title", "sort")]
    [InlineData("status=running", "status")]
    [InlineData("format=pdf", "format")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("scanned_after=yesterday", "scanned_after")]
    public async Task A_bad_query_parameter_is_a_400_that_names_it(string query, string parameter)
    {
        using var client = fixture.CreateClient(fixture.TenantA);
        using var response = await client.GetPathAsync("/api/v1/domains?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"'{parameter}'", await response.DetailAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_domain_shows_its_facts_full_metadata_and_history_and_can_be_rescanned()
    {
        var tenant = await fixture.CreateTenantAsync("historian");
        using var client = fixture.CreateClient(tenant);
        var domain = $"history-{Guid.NewGuid():N}.com";
        await SubmitBatchAsync(client, [domain]);
        await RunDueJobsAsync(d => Site(d, wordpress: true, email: $"sales@{d}"));

        using var rescan = await client.PostJsonAsync($"/api/v1/domains/{domain}/rescan", new { max_pages = 2 });
        Assert.Equal(HttpStatusCode.OK, rescan.StatusCode);
        var rescanJob = (await rescan.JsonAsync()).GetProperty("job_id").GetString()!;
        await RunDueJobsAsync(_ => null);

        using var response = await client.GetPathAsync($"/api/v1/domains/WWW.{domain.ToUpperInvariant()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        // The newest scan failed: its status and error show, the facts of the completed one stay.
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Contains("404", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal($"Welcome to {domain}", body.GetProperty("title").GetString());
        Assert.Equal([$"sales@{domain}", $"jane.doe@{domain}"], body.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([$"sales@{domain}"], body.GetProperty("role_emails").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([$"jane.doe@{domain}"], body.GetProperty("personal_emails").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(($"{domain} GmbH", "DE", "DE301234567", "html_lang"), (body.GetProperty("company_name").GetString(),
            body.GetProperty("country").GetString(), body.GetProperty("vat_id").GetString(), body.GetProperty("language_source").GetString()));
        Assert.Equal(["Anna Schmidt"], body.GetProperty("managing_directors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["WordPress 6.5.2", "jQuery"], body.GetProperty("technologies").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, body.GetProperty("scan_count").GetInt32());
        Assert.Equal(rescanJob, body.GetProperty("last_job_id").GetString());
        Assert.Equal("6.5.2", body.GetProperty("metadata").GetProperty("wordpress_version").GetString());

        using var scans = await client.GetPathAsync($"/api/v1/domains/{domain}/scans");
        var history = (await scans.JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["failed", "completed"], history.Select(s => s.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("facts").ValueKind);
        Assert.Equal($"Welcome to {domain}", history[1].GetProperty("facts").GetProperty("title").GetString());

        using var csv = await client.GetPathAsync($"/api/v1/domains/{domain}/scans?format=csv");
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("scan_id,job_id,batch_id,status,error,scanned_at,title,", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);

        using var missing = await client.GetPathAsync("/api/v1/domains/never-scanned-here.com");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var rescanMissing = await client.PostJsonAsync("/api/v1/domains/never-scanned-here.com/rescan", new { });
        Assert.Equal(HttpStatusCode.NotFound, rescanMissing.StatusCode);
        using var otherTenant = await fixture.CreateClient(fixture.TenantB).GetPathAsync($"/api/v1/domains/{domain}");
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
    }

    [Fact]
    public async Task An_uploaded_spreadsheet_comes_back_enriched_with_its_rows_and_columns_intact()
    {
        var tenant = await fixture.CreateTenantAsync("uploader");
        using var client = fixture.CreateClient(tenant);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var csv = "\uFEFFCompany;Website;Owner\r\n" +
                  $"\"Müller; Söhne\";www.mueller-{suffix}.de;\"Anna \"\"A\"\" M\"\r\n" +
                  "Broken Ltd;not a domain!;Bob\r\n" +
                  $"Again;https://mueller-{suffix}.de/about;Carl\r\n" +
                  $"Shop;shop-{suffix}.com;Dora\r\n";
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "leads.csv");
        using var uploaded = await client.PostAsync("/api/v1/batch/upload", form, Ct);

        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var accepted = await uploaded.JsonAsync();
        Assert.Equal("Website", accepted.GetProperty("column").GetString());
        Assert.Equal(4, accepted.GetProperty("rows").GetInt32());
        Assert.Equal(3, accepted.GetProperty("job_count").GetInt32());
        var batchId = accepted.GetProperty("batch_id").GetString()!;
        await RunDueJobsAsync(d => Site(d, email: $"hello@{d}"));

        using var csvResults = await client.GetPathAsync($"/api/v1/batch/{batchId}/results?format=csv");
        Assert.Equal("text/csv", csvResults.Content.Headers.ContentType?.MediaType);
        var text = (await csvResults.Content.ReadAsStringAsync(Ct)).TrimStart('\uFEFF');
        var rows = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Company,Website,Owner,row,input,domain,status,error,job_id,scanned_at,title,", rows[0], StringComparison.Ordinal);
        Assert.StartsWith($"Müller; Söhne,www.mueller-{suffix}.de,\"Anna \"\"A\"\" M\",2,www.mueller-{suffix}.de,mueller-{suffix}.de,completed,", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("Broken Ltd,not a domain!,Bob,3,not a domain!,,failed,Invalid domain format: not a domain!,", rows[2], StringComparison.Ordinal);
        Assert.Contains($",mueller-{suffix}.de,completed,", rows[3], StringComparison.Ordinal);
        Assert.Contains($"hello@shop-{suffix}.com", rows[4], StringComparison.Ordinal);
        Assert.Equal(5, rows.Length);

        using var xlsx = await client.GetPathAsync($"/api/v1/batch/{batchId}/results?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        await using var book = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct));
        var sheet = MiniExcel.Query(book, useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(4, sheet.Count);
        Assert.Equal(["Müller; Söhne", "Broken Ltd", "Again", "Shop"], sheet.Select(r => r["Company"]?.ToString()));
        Assert.Equal(["Anna \"A\" M", "Bob", "Carl", "Dora"], sheet.Select(r => r["Owner"]?.ToString()));
        Assert.Equal(["completed", "failed", "completed", "completed"], sheet.Select(r => r["status"]?.ToString()));
        Assert.Equal($"hello@shop-{suffix}.com; jane.doe@shop-{suffix}.com", sheet[3]["emails"]?.ToString());
        Assert.Equal(($"shop-{suffix}.com GmbH", "DE", "Anna Schmidt"),
            (sheet[3]["company_name"]?.ToString(), sheet[3]["country"]?.ToString(), sheet[3]["managing_directors"]?.ToString()));

        using var json = await client.GetPathAsync($"/api/v1/batch/{batchId}/results?limit=3");
        var page = await json.JsonAsync();
        Assert.Equal([2, 3, 4], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("row").GetInt32()));
        using var rest = await client.GetPathAsync($"/api/v1/batch/{batchId}/results?limit=3&cursor={page.GetProperty("next_cursor").GetString()}");
        Assert.Equal([5], (await rest.JsonAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("row").GetInt32()));

        using var jsonl = await client.GetPathAsync($"/api/v1/batch/{batchId}/results?format=jsonl");
        var records = (await jsonl.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, records.Length);
        using var first = JsonDocument.Parse(records[0]);
        Assert.Equal("Müller; Söhne", first.RootElement.GetProperty("Company").GetString());
    }

    [Theory]
    [InlineData("", "Company,City\r\nAcme,Paris\r\n", "domain")]
    [InlineData("", "Company,City\r\n", "rows")]
    [InlineData("", "", "empty")]
    [InlineData("Phone", "Company,Website\r\nA,a.com\r\n", "Phone")]
    public async Task A_file_without_usable_domains_is_a_400_that_says_why_and_writes_nothing(string column, string csv, string mentioned)
    {
        var tenant = await fixture.CreateTenantAsync("bad uploads");
        using var client = fixture.CreateClient(tenant);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "bad.csv" } };
        if (column.Length > 0)
        {
            form.Add(new StringContent(column), "column");
        }

        using var response = await client.PostAsync("/api/v1/batch/upload", form, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentioned, await response.DetailAsync(), StringComparison.OrdinalIgnoreCase);
        using var batches = await client.GetPathAsync("/api/v1/batches");
        Assert.Empty((await batches.JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Cancel_and_retry_keep_the_counters_exact_and_the_events_report_each_end_once()
    {
        var tenant = await fixture.CreateTenantAsync("controller");
        using var client = fixture.CreateClient(tenant);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var domains = Enumerable.Range(0, 6).Select(i => $"site{i}-{suffix}.com").ToList();
        var batchId = await SubmitBatchAsync(client, [.. domains, "not valid!"]);

        // Two scans are running when the batch is cancelled: they finish; the three pending ones are cancelled.
        var running = await fixture.WithServiceAsync<JobQueue, IReadOnlyList<ClaimedJob>>(q => q.ClaimAsync("test-worker", 2, Ct));
        using var cancel = await client.PostJsonAsync($"/api/v1/batch/{batchId}/cancel", new { });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await cancel.JsonAsync();
        Assert.Equal(4, cancelled.GetProperty("affected_jobs").GetInt32());
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(0, await RunDueJobsAsync(d => Site(d)));
        foreach (var claim in running)
        {
            Assert.True(await fixture.WithServiceAsync<JobQueue, bool>(q => q.CompleteAsync(claim, Site(claim.Domain), null, Ct)));
        }

        var status = await (await client.GetPathAsync($"/api/v1/batch/status/{batchId}")).JsonAsync();
        Assert.Equal(("cancelled", 7, 2, 1, 4, 0, 0), (status.GetProperty("status").GetString(), status.GetProperty("total_jobs").GetInt32(),
            status.GetProperty("completed_jobs").GetInt32(), status.GetProperty("failed_jobs").GetInt32(), status.GetProperty("cancelled_jobs").GetInt32(),
            status.GetProperty("pending_jobs").GetInt32(), status.GetProperty("running_jobs").GetInt32()));

        // A client that follows the batch now gets every end so far, then the stream closes (the batch ended).
        var events = await ReadEventsAsync(client, batchId, lastEventId: null);
        var jobs = events.Where(e => e.Type == "job").ToList();
        Assert.Equal(7, jobs.Count);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), jobs.Select(e => e.Id));
        Assert.Equal("end", events[^1].Type);

        // Retry queues the cancelled jobs again (the invalid entry stays failed); their new ends are new events.
        using var retry = await client.PostJsonAsync($"/api/v1/batch/{batchId}/retry", new { });
        Assert.Equal(4, (await retry.JsonAsync()).GetProperty("affected_jobs").GetInt32());
        Assert.Equal(4, await RunDueJobsAsync(d => d.StartsWith("site5", StringComparison.Ordinal) ? null : Site(d)));
        status = await (await client.GetPathAsync($"/api/v1/batch/status/{batchId}")).JsonAsync();
        Assert.Equal(("partial", 5, 2, 0), (status.GetProperty("status").GetString(), status.GetProperty("completed_jobs").GetInt32(),
            status.GetProperty("failed_jobs").GetInt32(), status.GetProperty("cancelled_jobs").GetInt32()));

        // A reconnect after event 7 gets exactly the four new ends.
        var resumed = await ReadEventsAsync(client, batchId, lastEventId: "7");
        Assert.Equal(["8", "9", "10", "11"], resumed.Where(e => e.Type == "job").Select(e => e.Id));
        Assert.Equal("end", resumed[^1].Type);

        using var page = await client.GetPathAsync($"/api/v1/batch/status/{batchId}?jobs_limit=5");
        var paged = await page.JsonAsync();
        Assert.Equal(5, paged.GetProperty("jobs").GetArrayLength());
        using var next = await client.GetPathAsync($"/api/v1/batch/status/{batchId}?jobs_limit=5&jobs_cursor={paged.GetProperty("next_jobs_cursor").GetString()}");
        Assert.Equal(2, (await next.JsonAsync()).GetProperty("jobs").GetArrayLength());

        using var list = await client.GetPathAsync("/api/v1/batches");
        var listed = Assert.Single((await list.JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(batchId, listed.GetProperty("batch_id").GetString());
    }

    private sealed record ServerEvent(string Type, string? Id, string Data);

    private static async Task<List<ServerEvent>> ReadEventsAsync(HttpClient client, string batchId, string? lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/batch/{batchId}/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<ServerEvent>();
        string? type = null, id = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null)
                {
                    events.Add(new ServerEvent(type, id, data.ToString()));
                }

                (type, id) = (null, null);
                data.Clear();
                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }

        return events;
    }
}

public sealed class SqliteResultsApiTests(SqliteApiFixture fixture) : ResultsApiTests(fixture), IClassFixture<SqliteApiFixture>;

public sealed class PostgresResultsApiTests(PostgresApiFixture fixture) : ResultsApiTests(fixture), IClassFixture<PostgresApiFixture>;
