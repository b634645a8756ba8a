using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Schedules;

namespace ScraperSky.Data.Tests.Schedules;

/// Due runs through <see cref="ScheduleRuns"/> on a real database, with runners that are separate service providers
/// (their own contexts and connections) over it, as separate processes would be.
public abstract class ScheduleRunsTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly List<ServiceProvider> _runners = [];
    private TestDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeTimeProvider Time => _database.Time;
    private DateTime Now => Time.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync(provider);

    public async ValueTask DisposeAsync()
    {
        foreach (var runner in _runners)
        {
            await runner.DisposeAsync();
        }

        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// A runner of its own over the test database, sharing only the clock.
    private ServiceProvider NewRunner()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["ConnectionStrings:ScraperSky"] = _database.ConnectionString,
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(Time)
            .AddScraperSkyData(configuration);
        services.AddScoped<JobSubmission>().AddScoped<ScheduleRuns>();
        var runner = services.BuildServiceProvider();
        _runners.Add(runner);
        return runner;
    }

    private static async Task<IReadOnlyList<ScheduleRun>> RunDueAsync(ServiceProvider runner)
    {
        await using var scope = runner.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ScheduleRuns>().RunDueAsync(Ct);
    }

    private async Task<Guid> AddScheduleAsync(Action<Schedule> target, string? every = "PT1H", string? cron = null)
    {
        var now = Now;
        var schedule = new Schedule
        {
            Id = Guid.CreateVersion7(),
            TenantId = Tenant.DefaultId,
            Every = every,
            Cron = cron,
            State = ScheduleState.Active,
            Options = new ScanJobOptions { MaxPages = 2 }.ToJson(),
            NextRunAt = ScheduleTiming.TryCreate(every, cron, null, out _)!.First(now)!.Value,
            CreatedAt = now,
        };
        target(schedule);
        await using var db = _database.CreateContext();
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(Ct);
        return schedule.Id;
    }

    private async Task<Schedule> ScheduleAsync(Guid id)
    {
        await using var db = _database.CreateContext();
        return await db.Schedules.AsNoTracking().SingleAsync(s => s.Id == id, Ct);
    }

    private async Task<List<string>> BatchDomainsAsync(Guid batchId)
    {
        await using var db = _database.CreateContext();
        return await db.Jobs.Where(j => j.BatchId == batchId).OrderBy(j => j.Id).Select(j => j.Domain).ToListAsync(Ct);
    }

    private async Task<int> BatchCountAsync()
    {
        await using var db = _database.CreateContext();
        return await db.BatchJobs.CountAsync(Ct);
    }

    /// Ends every batch, as the workers would, so the next run is not skipped for a batch still going.
    private async Task EndBatchesAsync()
    {
        await using var db = _database.CreateContext();
        var now = Now;
        await db.BatchJobs.ExecuteUpdateAsync(s => s.SetProperty(b => b.CompletedAt, now), Ct);
    }

    [Fact]
    public async Task A_due_schedule_submits_its_domains_as_one_batch_and_moves_to_its_next_period()
    {
        var start = Now;
        var id = await AddScheduleAsync(s => s.Domains = ["a.test", "b.test"]);
        var runner = NewRunner();
        Assert.Empty(await RunDueAsync(runner));

        Time.Advance(TimeSpan.FromHours(1));
        var run = Assert.Single(await RunDueAsync(runner));

        Assert.Equal((id, 2, null), (run.ScheduleId, run.DomainCount, run.Skipped));
        Assert.Equal(["a.test", "b.test"], await BatchDomainsAsync(run.BatchId!.Value));
        await using (var db = _database.CreateContext())
        {
            var options = ScanJobOptions.FromJson(await db.Jobs.Where(j => j.BatchId == run.BatchId).Select(j => j.Options).FirstAsync(Ct));
            Assert.Equal(2, options.MaxPages);
            Assert.Equal(JobStatus.Pending, await db.Jobs.Where(j => j.BatchId == run.BatchId).Select(j => j.Status).FirstAsync(Ct));
        }

        var schedule = await ScheduleAsync(id);
        Assert.Equal((start.AddHours(2), start.AddHours(1), run.BatchId, 1, null),
            (schedule.NextRunAt, schedule.LastRunAt, schedule.LastBatchId, schedule.RunCount, schedule.LastError));
        Assert.Empty(await RunDueAsync(runner));
        Assert.Equal(1, await BatchCountAsync());
    }

    [Fact]
    public async Task A_runner_started_after_several_missed_periods_runs_the_schedule_once()
    {
        var start = Now;
        var id = await AddScheduleAsync(s => s.Domains = ["missed.test"]);
        Assert.Empty(await RunDueAsync(NewRunner()));

        // Down from before the first run (13:00) until 17:30: the new runner runs it once, and next at 18:00.
        Time.Advance(TimeSpan.FromHours(5.5));
        var restarted = NewRunner();
        Assert.Single(await RunDueAsync(restarted));
        Assert.Empty(await RunDueAsync(restarted));
        Assert.Empty(await RunDueAsync(NewRunner()));

        var schedule = await ScheduleAsync(id);
        Assert.Equal((start.AddHours(6), 1), (schedule.NextRunAt, schedule.RunCount));
        Assert.Equal(1, await BatchCountAsync());
    }

    [Fact]
    public async Task Runners_racing_on_one_database_run_each_due_schedule_exactly_once()
    {
        List<Guid> ids = [];
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await AddScheduleAsync(s => s.Domains = [$"race-{i}.test"]));
        }

        ServiceProvider[] runners = [NewRunner(), NewRunner(), NewRunner()];
        for (var round = 1; round <= 5; round++)
        {
            Time.Advance(TimeSpan.FromHours(1));
            using var go = new ManualResetEventSlim();
            var racing = runners.Select(r => Task.Run(async () =>
            {
                go.Wait(Ct);
                return await RunDueAsync(r);
            }, Ct)).ToList();
            go.Set();
            var runs = (await Task.WhenAll(racing)).SelectMany(r => r).ToList();

            Assert.Equal(ids.Order(), runs.Select(r => r.ScheduleId).Order());
            Assert.All(runs, r => Assert.NotNull(r.BatchId));
            Assert.Equal(4 * round, await BatchCountAsync());
            await EndBatchesAsync();
        }

        foreach (var id in ids)
        {
            Assert.Equal(5, (await ScheduleAsync(id)).RunCount);
        }
    }

    [Fact]
    public async Task A_batch_target_scans_the_valid_domains_the_batch_holds_when_it_runs()
    {
        Guid batchId;
        await using (var scope = NewRunner().CreateAsyncScope())
        {
            var submitted = await scope.ServiceProvider.GetRequiredService<JobSubmission>()
                .SubmitBatchAsync(Tenant.DefaultId, ["x.test", "not a domain", "y.test", "X.test"], new ScanJobOptions(), Ct);
            batchId = submitted.Batch.Id;
        }

        await EndBatchesAsync();
        var id = await AddScheduleAsync(s => s.SourceBatchId = batchId, every: null, cron: "0 * * * *");
        Time.Advance(TimeSpan.FromHours(1));

        var run = Assert.Single(await RunDueAsync(NewRunner()));
        Assert.Equal(["x.test", "y.test"], await BatchDomainsAsync(run.BatchId!.Value));
        Assert.Equal(new DateTime(2026, 3, 1, 14, 0, 0, DateTimeKind.Utc), (await ScheduleAsync(id)).NextRunAt);
    }

    [Fact]
    public async Task A_filter_target_scans_the_tenants_matching_domains_and_an_empty_match_is_recorded_and_skipped()
    {
        await using (var db = _database.CreateContext())
        {
            foreach (var (name, isWordpress) in new[] { ("wp-one.test", true), ("plain.test", false), ("wp-two.test", true) })
            {
                db.Domains.Add(new Domain { Id = Guid.CreateVersion7(), TenantId = Tenant.DefaultId, Name = name, IsWordpress = isWordpress, LastStatus = JobStatus.Completed });
            }

            await db.SaveChangesAsync(Ct);
        }

        var wordpress = await AddScheduleAsync(s => s.Filter = ScheduleFilter.ToJson(new DomainFilter { Wordpress = true }));
        var nothing = await AddScheduleAsync(s => s.Filter = ScheduleFilter.ToJson(new DomainFilter { Technologies = ["NoSuchTech"] }));
        Time.Advance(TimeSpan.FromHours(1));

        var runs = (await RunDueAsync(NewRunner())).ToDictionary(r => r.ScheduleId);

        Assert.Equal(["wp-one.test", "wp-two.test"], (await BatchDomainsAsync(runs[wordpress].BatchId!.Value)).Order());
        Assert.Null(runs[nothing].BatchId);
        var skipped = await ScheduleAsync(nothing);
        Assert.Equal((0, Now.AddHours(1)), (skipped.RunCount, skipped.NextRunAt));
        Assert.Contains("no domains", skipped.LastError, StringComparison.Ordinal);
        Assert.Equal(1, await BatchCountAsync());
    }

    [Fact]
    public async Task A_run_is_skipped_while_the_previous_runs_batch_has_not_ended()
    {
        var id = await AddScheduleAsync(s => s.Domains = ["slow.test"]);
        var runner = NewRunner();
        Time.Advance(TimeSpan.FromHours(1));
        Assert.NotNull(Assert.Single(await RunDueAsync(runner)).BatchId);

        Time.Advance(TimeSpan.FromHours(1));
        Assert.Null(Assert.Single(await RunDueAsync(runner)).BatchId);
        Assert.Equal(ScheduleRuns.PreviousRunPending, (await ScheduleAsync(id)).LastError);

        await EndBatchesAsync();
        Time.Advance(TimeSpan.FromHours(1));
        Assert.NotNull(Assert.Single(await RunDueAsync(runner)).BatchId);
        Assert.Equal((2, null), ((await ScheduleAsync(id)).RunCount, (await ScheduleAsync(id)).LastError));
    }

    [Fact]
    public async Task A_deleted_schedule_is_never_due_again()
    {
        var id = await AddScheduleAsync(s => s.Domains = ["gone.test"]);
        await using (var db = _database.CreateContext())
        {
            await db.Schedules.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.State, ScheduleState.Deleted), Ct);
        }

        Time.Advance(TimeSpan.FromDays(3));
        Assert.Empty(await RunDueAsync(NewRunner()));
        Assert.Equal(0, await BatchCountAsync());
    }
}

public sealed class SqliteScheduleRunsTests() : ScheduleRunsTests(DatabaseProvider.Sqlite);

public sealed class PostgresScheduleRunsTests() : ScheduleRunsTests(DatabaseProvider.Postgres);
