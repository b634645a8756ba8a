using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Entities;

namespace ScraperSky.Cli.Tests;

/// A batch whose process dies (SIGKILL: no shutdown code runs) is finished by `batch resume`, and nothing that had
/// ended is scanned again.
public sealed class ResumeTests(FleetFixture fixture) : IClassFixture<FleetFixture>, IAsyncLifetime
{
    private readonly CliWorkspace _workspace = new(fixture.Fleet);

    [Fact]
    public async Task Batch_killed_midway_is_resumed_without_scanning_anything_twice()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // Slow sites, one at a time, and a short lease so the killed process's running job is free again soon.
        string[] domains = [.. Enumerable.Range(1, 6).Select(i => $"slow-{i}.delay1500.gen.test")];
        var input = _workspace.PathOf("slow.csv");
        await File.WriteAllLinesAsync(input, ["domain", .. domains], cancellationToken);
        _workspace.Environment["Jobs__LeaseDuration"] = "00:00:02";
        // The killed process's running scan took an attempt; the resume needs one more for it.
        _workspace.Environment["Jobs__MaxAttempts"] = "3";

        using (var first = new Process { StartInfo = CliProcess.StartInfo(_workspace.Folder, _workspace.Environment,
                   ["batch", input, "--concurrency", "1", "--no-sitemaps", "--out", _workspace.PathOf("never.csv")]) })
        {
            first.Start();
            first.StandardInput.Close();
            // Killed as soon as its own progress line reports a finished scan.
            using var waited = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await first.StandardError.ReadLineAsync(waited.Token) is { } line)
            {
                if (Regex.IsMatch(line, @"^progress: [1-9]\d* done"))
                {
                    break;
                }
            }

            Assert.False(first.HasExited, "The batch ended before it was killed.");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(cancellationToken);
        }

        Dictionary<Guid, DateTime?> endedBeforeKill;
        string batchId;
        await using (var db = _workspace.Database())
        {
            endedBeforeKill = await db.Jobs.Where(j => j.Status == JobStatus.Completed).ToDictionaryAsync(j => j.Id, j => j.CompletedAt, cancellationToken);
            batchId = (await db.BatchJobs.SingleAsync(cancellationToken)).PublicId;
        }

        Assert.InRange(endedBeforeKill.Count, 1, 5);
        Assert.False(File.Exists(_workspace.PathOf("never.csv")));
        var hitsBefore = domains.ToDictionary(d => d, fixture.Fleet.HitsFor);

        var results = _workspace.PathOf("results.jsonl");
        var resumed = await _workspace.RunAsync("batch", "resume", batchId, "--out", results);

        Assert.True(resumed.Code == 0, resumed.ToString() + (File.Exists(results) ? await File.ReadAllTextAsync(results, cancellationToken) : ""));
        Assert.Contains($"{endedBeforeKill.Count} of 6 domains already done", resumed.Error, StringComparison.Ordinal);
        var rows = (await File.ReadAllLinesAsync(results, cancellationToken)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(domains, rows.Select(r => r.GetProperty("domain").GetString()));
        Assert.All(rows, r => Assert.Equal("completed", r.GetProperty("status").GetString()));

        await using (var db = _workspace.Database())
        {
            // One stored scan per job: nothing that had ended was scanned again, and every job ended exactly once.
            var scans = await db.DomainScans.GroupBy(s => s.JobId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            Assert.Equal(6, scans.Count);
            Assert.All(scans, s => Assert.Equal(1, s.Count));
            foreach (var (id, completedAt) in endedBeforeKill)
            {
                Assert.Equal(completedAt, (await db.Jobs.SingleAsync(j => j.Id == id, cancellationToken)).CompletedAt);
            }
        }

        // The sites done before the kill were not fetched again.
        foreach (var domain in domains.Where(d => hitsBefore[d] > 0 && !IsRunningAtKill(d)))
        {
            Assert.Equal(hitsBefore[domain], fixture.Fleet.HitsFor(domain));
        }

        bool IsRunningAtKill(string domain) => rows.Count(r => r.GetProperty("domain").GetString() == domain
            && !endedBeforeKill.ContainsKey(Guid.Parse(r.GetProperty("job_id").GetString()!["scan_".Length..]))) > 0;
    }

    [Fact]
    public async Task Ctrl_c_stops_a_batch_releasing_its_running_scans_and_says_how_to_resume()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var input = _workspace.PathOf("slow.csv");
        await File.WriteAllLinesAsync(input, ["domain", .. Enumerable.Range(1, 4).Select(i => $"wait-{i}.delay900.gen.test")], cancellationToken);
        using var process = new Process { StartInfo = CliProcess.StartInfo(_workspace.Folder, _workspace.Environment,
            ["batch", input, "--concurrency", "1", "--out", _workspace.PathOf("never.csv")]) };
        process.Start();
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var waited = Stopwatch.StartNew();
        while (await RunningAsync() == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "No scan started within 2 minutes.");
            await Task.Delay(100, cancellationToken);
        }

        using (var signal = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync(cancellationToken);
        }

        await process.WaitForExitAsync(cancellationToken);
        var text = await error;
        Assert.True(process.ExitCode == 130, text);
        Assert.Matches(@"Resume with: scrapersky batch resume batch_[0-9a-f]{32}", text);
        Assert.False(File.Exists(_workspace.PathOf("never.csv")));
        Assert.False(File.Exists(_workspace.PathOf("never.csv.partial")));
        Assert.Equal(0, await RunningAsync());
    }

    private async Task<int> RunningAsync()
    {
        if (!File.Exists(_workspace.DatabasePath))
        {
            return 0;
        }

        try
        {
            await using var db = _workspace.Database();
            return await db.Jobs.CountAsync(j => j.Status == JobStatus.Running, TestContext.Current.CancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0;
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();
}
