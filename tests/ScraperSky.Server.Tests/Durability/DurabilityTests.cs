using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Testing.Fleet;
using ScraperSky.Testing.Postgres;
using ScraperSky.Testing.Processes;

namespace ScraperSky.Server.Tests.Durability;

/// The server as real child processes, scanning slow fleet sites over real HTTP, killed with SIGKILL mid-batch.
public sealed class DurabilityTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"scrapersky-durability-{Guid.NewGuid():N}");
    private TestSiteFleet _fleet = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _fleet = await TestSiteFleet.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_server_killed_mid_batch_finishes_every_job_after_a_restart_and_writes_each_domain_once()
    {
        var database = new Database(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_directory, "restart.db")}");
        var environment = EnvironmentFor(database);
        var domains = SlowDomains("restart", 200);

        Guid batchId;
        await using (var first = await ServerProcess.StartAsync(environment, Ct))
        {
            batchId = await SubmitBatchAsync(first, domains);
            await WaitUntilAsync(database, jobs => jobs.Count(j => j.Status == JobStatus.Completed) >= 40, "40 jobs completed", first);
            first.Kill();
        }

        var atKill = await database.JobStatesAsync(Ct);
        var inFlight = atKill.Where(j => j.Status == JobStatus.Running).Select(j => j.Id).ToHashSet();
        Assert.NotEmpty(inFlight);
        Assert.True(atKill.Count(j => j.Status == JobStatus.Completed) < domains.Count, "the kill came before the batch ended");

        await using var second = await ServerProcess.StartAsync(environment, Ct);
        await WaitUntilAsync(database, AllEnded, "every job ended", second);

        var jobs = await AssertBatchConsistentAsync(database, batchId, domains);
        Assert.All(jobs.Where(j => inFlight.Contains(j.Id)), j => Assert.True(j.Attempts >= 2, $"{j.Domain} was reclaimed after the kill"));
    }

    [Fact]
    public async Task Two_servers_on_one_postgres_database_share_a_batch_and_killing_one_loses_nothing()
    {
        var postgres = await PostgresServer.SharedAsync();
        var database = new Database(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync("durability"));
        var environment = EnvironmentFor(database);
        var domains = SlowDomains("shared", 500);

        // The first process applies the migrations (the explicit PostgreSQL step); the second finds them done.
        await using var doomed = await ServerProcess.StartAsync(environment, Ct, ["--migrate", "true"]);
        await using var survivor = await ServerProcess.StartAsync(environment, Ct);
        var batchId = await SubmitBatchAsync(survivor, domains);

        // Both processes must hold leases at the same moment before one of them dies.
        var doomedOwner = $"/{doomed.ProcessId}/";
        var survivorOwner = $"/{survivor.ProcessId}/";
        var seenDoomed = false;
        var seenSurvivor = false;
        await WaitUntilAsync(database, jobs =>
        {
            var owners = jobs.Where(j => j.Status == JobStatus.Running).Select(j => j.LeaseOwner ?? "").ToList();
            seenDoomed |= owners.Any(o => o.Contains(doomedOwner, StringComparison.Ordinal));
            seenSurvivor |= owners.Any(o => o.Contains(survivorOwner, StringComparison.Ordinal));
            return seenDoomed && seenSurvivor && jobs.Count(j => j.Status == JobStatus.Completed) >= 120;
        }, "both servers scanning and 120 jobs completed", survivor);
        doomed.Kill();

        var atKill = await database.JobStatesAsync(Ct);
        var orphaned = atKill
            .Where(j => j.Status == JobStatus.Running && (j.LeaseOwner ?? "").Contains(doomedOwner, StringComparison.Ordinal))
            .Select(j => j.Id).ToHashSet();
        Assert.NotEmpty(orphaned);
        Assert.True(atKill.Count(j => j.Status == JobStatus.Completed) < domains.Count, "the kill came before the batch ended");

        await WaitUntilAsync(database, AllEnded, "every job ended", survivor);

        var jobs = await AssertBatchConsistentAsync(database, batchId, domains);
        Assert.All(jobs.Where(j => orphaned.Contains(j.Id)), j => Assert.True(j.Attempts >= 2, $"{j.Domain} was reclaimed after the kill"));
    }

    /// Every job ended and completed once: one domain row per job, written by exactly one completion (scan_count
    /// counts completions), and batch counters that equal the job states.
    private static async Task<List<Job>> AssertBatchConsistentAsync(Database database, Guid batchId, IReadOnlyList<string> domains)
    {
        var jobs = await database.JobsAsync(Ct);
        Assert.Equal(domains.Order(StringComparer.Ordinal), jobs.Select(j => j.Domain).Order(StringComparer.Ordinal));
        var unfinished = jobs.Where(j => j.Status != JobStatus.Completed).Select(j => $"{j.Domain}: {j.Status} {j.Error}").ToList();
        Assert.True(unfinished.Count == 0, "jobs not completed:\n" + string.Join('\n', unfinished.Take(10)));
        Assert.All(jobs, j => Assert.InRange(j.Attempts, 1, j.MaxAttempts));
        await using var db = database.Open();
        var scanned = await db.DomainScans.AsNoTracking().Where(s => s.Result != null).Select(s => s.JobId).ToListAsync(Ct);
        Assert.Equal(jobs.Select(j => j.Id).Order(), scanned.Order());
        var rows = await db.Domains.AsNoTracking().Select(d => new { d.TenantId, d.Name, d.ScanCount, d.Title }).ToListAsync(Ct);
        Assert.Equal(domains.Order(StringComparer.Ordinal), rows.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(rows, r =>
        {
            Assert.Equal(Tenant.DefaultId, r.TenantId);
            Assert.True(r.ScanCount == 1, $"{r.Name} was written {r.ScanCount} times");
            Assert.Equal(GeneratedSite.TitleFor(r.Name), r.Title);
        });

        var batch = await db.BatchJobs.AsNoTracking().SingleAsync(b => b.Id == batchId, Ct);
        var completed = jobs.Count(j => j.Status == JobStatus.Completed);
        var failed = jobs.Count(j => j.Status == JobStatus.Failed);
        Assert.Equal((domains.Count, completed, failed), (batch.TotalJobs, batch.CompletedJobs, batch.FailedJobs));
        Assert.Equal(BatchJob.StatusFor(batch.TotalJobs, completed, failed, 0, null, anyStarted: true), batch.Status);
        Assert.NotNull(batch.CompletedAt);
        return jobs;
    }

    private static bool AllEnded(List<Job> jobs) => jobs.All(j => j.Status is JobStatus.Completed or JobStatus.Failed);

    private static List<string> SlowDomains(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => $"{prefix}-{i}.delay1500.gen.test")];

    private Dictionary<string, string> EnvironmentFor(Database database) => new()
    {
        ["Database__Provider"] = database.Provider.ToString(),
        ["ConnectionStrings__ScraperSky"] = database.ConnectionString,
        ["Scanning__HostMap__test"] = _fleet.HostMapValue,
        ["Scanning__CheckMx"] = "false", // no DNS beyond loopback in tests
        // Every generated site is under one registrable domain (gen.test): lift the per-domain politeness limit.
        ["Scanning__MaxConcurrentRequestsPerHost"] = "1000",
        // A short lease, so the jobs of a killed process are taken again within seconds.
        ["Jobs__LeaseDuration"] = "00:00:03",
        ["Jobs__PollInterval"] = "00:00:00.250",
    };

    /// Submits a batch through the v1 API, as a client would; returns its id.
    private static async Task<Guid> SubmitBatchAsync(ServerProcess server, IReadOnlyList<string> domains)
    {
        using var response = await server.Client.PostAsJsonAsync("/api/v1/batch", new { domains }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /api/v1/batch answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal(domains.Count, json.RootElement.GetProperty("job_count").GetInt32());
        Assert.True(PublicIds.TryParse(json.RootElement.GetProperty("batch_id").GetString(), BatchJob.PublicPrefix, out var id));
        return id.Value;
    }

    private static async Task WaitUntilAsync(Database database, Func<List<Job>, bool> condition, string what, ServerProcess server)
    {
        try
        {
            // Generous: the whole suite runs its test projects side by side on two cores, and these processes share them.
            await JobRows.WaitUntilAsync(async () => condition(await database.JobStatesAsync(Ct)), TimeSpan.FromSeconds(180), what, Ct);
        }
        catch (TimeoutException e)
        {
            var jobs = await database.JobStatesAsync(Ct);
            var states = string.Join(", ", jobs.GroupBy(j => j.Status).Select(g => $"{g.Key}: {g.Count()}"));
            throw new TimeoutException($"{e.Message} Jobs: {states}. Server output:\n{server.Output}", e);
        }
    }

    private sealed record Database(DatabaseProvider Provider, string ConnectionString)
    {
        public ScraperSkyDbContext Open()
        {
            var builder = new DbContextOptionsBuilder<ScraperSkyDbContext>();
            DataServiceCollectionExtensions.Configure(builder, Provider, ConnectionString);
            return new ScraperSkyDbContext(builder.Options);
        }

        public async Task<List<Job>> JobsAsync(CancellationToken cancellationToken)
        {
            await using var db = Open();
            return await db.Jobs.AsNoTracking().ToListAsync(cancellationToken);
        }

        /// The job states only (no result documents): cheap enough to poll while the servers work.
        public async Task<List<Job>> JobStatesAsync(CancellationToken cancellationToken)
        {
            await using var db = Open();
            return await db.Jobs.AsNoTracking().Select(j => new Job
            {
                Id = j.Id,
                Type = j.Type,
                Domain = j.Domain,
                Status = j.Status,
                Attempts = j.Attempts,
                LeaseOwner = j.LeaseOwner,
            }).ToListAsync(cancellationToken);
        }
    }
}
