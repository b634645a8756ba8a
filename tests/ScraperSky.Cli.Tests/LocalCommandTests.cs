using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using ScraperSky.Data.Entities;
using ScraperSky.Server.Hosting;
using Sylvan.Data.Csv;

namespace ScraperSky.Cli.Tests;

/// The built program against the test-site fleet, on a local SQLite database: no server involved.
public sealed class LocalCommandTests(FleetFixture fixture) : IClassFixture<FleetFixture>, IAsyncLifetime
{
    private readonly CliWorkspace _workspace = new(fixture.Fleet);

    [Fact]
    public async Task Scan_prints_a_readable_summary_and_with_json_the_v1_metadata()
    {
        var summary = await _workspace.RunAsync("scan", "wordpress-elementor.test");
        Assert.True(summary.Code == 0, summary.ToString());
        Assert.Contains("Title:        Lakeside Dental", summary.Output, StringComparison.Ordinal);
        Assert.Contains("WordPress 6.4.2", summary.Output, StringComparison.Ordinal);
        Assert.Contains("Elementor 3.18.3", summary.Output, StringComparison.Ordinal);

        var json = await _workspace.RunAsync("scan", "wordpress-elementor.test", "--json", "--no-sitemaps");
        Assert.True(json.Code == 0, json.ToString());
        using var metadata = JsonDocument.Parse(json.Output);
        var root = metadata.RootElement;
        Assert.StartsWith("Lakeside Dental", root.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("is_wordpress").GetBoolean());
        Assert.Equal("6.4.2", root.GetProperty("wordpress_version").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("contact_info").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("sitemaps").ValueKind);
        Assert.Equal("", json.Error);
    }

    [Fact]
    public async Task Batch_from_a_csv_file_writes_one_csv_row_per_entry_and_exits_1_when_one_failed()
    {
        var input = _workspace.PathOf("leads.csv");
        await File.WriteAllTextAsync(input, "company,website\nAlpha Inc,alpha.gen.test\nNobody,not a domain\nBeta Ltd,https://beta.gen.test/\nAlpha again,ALPHA.gen.test\n",
            TestContext.Current.CancellationToken);
        var output = _workspace.PathOf("results.csv");

        var run = await _workspace.RunAsync("batch", input, "--out", output, "--concurrency", "2");

        Assert.True(run.Code == 1, run.ToString());
        Assert.Contains("2 completed, 1 failed of 3.", run.Error, StringComparison.Ordinal);
        Assert.Contains("progress: ", run.Error, StringComparison.Ordinal);
#if DEBUG
        Assert.Contains(StartupBanner.UnoptimizedBuild, run.Error, StringComparison.Ordinal);
#else
        Assert.DoesNotContain("build:", run.Error, StringComparison.Ordinal);
#endif
        Assert.Equal("", run.Output);
        using var reader = CsvDataReader.Create(output);
        Assert.Equal(["company", "website", "row", "input", "domain", "status", "error", "job_id", "scanned_at", "title"],
            Enumerable.Range(0, 10).Select(reader.GetName));
        var rows = new List<(string Company, string Row, string Domain, string Status, string Error, string Title)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetString(2), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(9)));
        }

        Assert.Equal(
        [
            ("Alpha Inc", "2", "alpha.gen.test", "completed", "", "Alpha"),
            ("Nobody", "3", "", "failed", "Invalid domain format: not a domain", ""),
            ("Beta Ltd", "4", "beta.gen.test", "completed", "", "Beta"),
            ("Alpha again", "5", "alpha.gen.test", "completed", "", "Alpha"),
        ], rows);

        // The same database answers status, domains and export afterwards.
        var batchId = (await SingleBatchAsync()).PublicId;
        var status = await _workspace.RunAsync("status", batchId);
        Assert.True(status.Code == 0, status.ToString());
        Assert.Contains("status:    partial", status.Output, StringComparison.Ordinal);
        Assert.Contains("failed:    1", status.Output, StringComparison.Ordinal);

        var domains = await _workspace.RunAsync("domains", "--q", "beta");
        Assert.True(domains.Code == 0, domains.ToString());
        var lines = domains.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("domain\tstatus\ttitle\temails\ttechnologies\tlast_scan_at", lines[0]);
        Assert.Single(lines[1..]);
        Assert.StartsWith("beta.gen.test\tcompleted\tBeta\thello@beta.gen.test\t", lines[1], StringComparison.Ordinal);

        var export = _workspace.PathOf("export.jsonl");
        var exported = await _workspace.RunAsync("export", "--batch", batchId, "--out", export);
        Assert.True(exported.Code == 0, exported.ToString());
        var exportedRows = (await File.ReadAllLinesAsync(export, TestContext.Current.CancellationToken)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["Alpha Inc", "Nobody", "Beta Ltd", "Alpha again"], exportedRows.Select(r => r.GetProperty("company").GetString()));
    }

    [Fact]
    public async Task Batch_from_standard_input_writes_xlsx_and_jsonl_row_by_row()
    {
        const string input = "domain\ngamma.gen.test\nx.status404.gen.test\ndelta.gen.test\n";
        var xlsx = _workspace.PathOf("results.xlsx");

        var run = await _workspace.RunWithInputAsync(input, "batch", "-", "--out", xlsx);

        Assert.True(run.Code == 1, run.ToString());
        var sheet = MiniExcel.Query(xlsx, useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["gamma.gen.test", "x.status404.gen.test", "delta.gen.test"], sheet.Select(r => r["input"]?.ToString()));
        Assert.Equal(["completed", "failed", "completed"], sheet.Select(r => r["status"]?.ToString()));
        Assert.Equal(["Gamma", null, "Delta"], sheet.Select(r => r["title"]?.ToString()));
        Assert.False(string.IsNullOrEmpty(sheet[1]["error"]?.ToString()));

        var jsonl = _workspace.PathOf("again.jsonl");
        var again = await _workspace.RunWithInputAsync("epsilon.gen.test\n", "batch", "-", "--out", jsonl, "--no-sitemaps");
        Assert.True(again.Code == 0, again.ToString());
        var row = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(jsonl, TestContext.Current.CancellationToken))).RootElement;
        Assert.Equal("epsilon.gen.test", row.GetProperty("domain").GetString());
        Assert.Equal("Epsilon", row.GetProperty("title").GetString());
        Assert.Equal(["hello@epsilon.gen.test"], row.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Batch_without_out_writes_csv_to_standard_output_and_messages_to_standard_error()
    {
        var run = await _workspace.RunWithInputAsync("zeta.gen.test\n", "batch", "-");

        Assert.True(run.Code == 0, run.ToString());
        var lines = run.Output.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // A list without a header row is read as the upload endpoint reads it: one column, kept as "original domain".
        Assert.StartsWith("original domain,row,input,domain,status,error,job_id,scanned_at,title", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("zeta.gen.test,1,zeta.gen.test,zeta.gen.test,completed,,scan_", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.Contains("Batch batch_", run.Error, StringComparison.Ordinal);
    }

    private async Task<BatchJob> SingleBatchAsync()
    {
        await using var db = _workspace.Database();
        return await db.BatchJobs.AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();
}
