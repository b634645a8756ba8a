using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ScraperSky.Data.Tenancy;
using ScraperSky.Server.Tests.Api;
using ScraperSky.Server.Tests.Durability;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Server.Tests.Schedules;

/// The whole path on a moved clock: a schedule created through the API fires when the clock reaches it, its batch
/// scans fleet sites over real HTTP, and a server started again after missing several periods runs it once.
public sealed class ScheduledScanTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"scrapersky-schedules-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(Start);
    private TestSiteFleet _fleet = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _fleet = await TestSiteFleet.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _fleet.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// A server with workers and the scheduler over the test's database file and clock.
    private WebApplicationFactory<Program> StartServer()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:ScraperSky"] = $"Data Source={_path}",
            ["Server:Role"] = "Both",
            ["Scanning:HostMap:test"] = _fleet.HostMapValue,
            ["Scanning:CheckMx"] = "false",
            ["Jobs:Concurrency"] = "4",
            // Polls wait on the fake clock: the test nudges it by a millisecond while it waits for a run.
            ["Schedules:PollInterval"] = "00:00:00.001",
            ["Auth:RequireApiKey"] = "true",
            ["RateLimits:ReadsPerWindow"] = "1000000",
            ["RateLimits:SubmissionsPerWindow"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        return new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(_time);
            });
        });
    }

    private static async Task<string> CreateKeyAsync(WebApplicationFactory<Program> server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var (_, key) = await scope.ServiceProvider.GetRequiredService<TenantStore>().CreateTenantAsync("scheduled", Ct);
        return key.Key;
    }

    private static HttpClient Client(WebApplicationFactory<Program> server, string key)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private static async Task<List<JsonElement>> BatchesAsync(HttpClient client)
    {
        using var response = await client.GetPathAsync("/api/v1/batches");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    /// Waits for <paramref name="count"/> batches, the newest ended, nudging the clock so the scheduler polls.
    private async Task<JsonElement> WaitForEndedBatchesAsync(HttpClient client, int count)
    {
        List<JsonElement> batches = [];
        await JobRows.WaitUntilAsync(async () =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            batches = await BatchesAsync(client);
            return batches.Count >= count && batches[0].GetProperty("status").GetString() is "completed" or "partial" or "failed";
        }, Patience, $"{count} batches, the newest ended", Ct);
        Assert.Equal(count, batches.Count);
        return batches[0];
    }

    private static async Task<JsonElement> ScheduleAsync(HttpClient client, string id)
    {
        using var response = await client.GetPathAsync($"/api/v1/schedules/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task A_schedule_fires_on_the_moved_clock_and_a_restart_after_missed_periods_runs_it_once()
    {
        string key, id;
        await using (var server = StartServer())
        {
            key = await CreateKeyAsync(server);
            using var client = Client(server, key);
            using var created = await client.PostJsonAsync("/api/v1/schedules",
                new { domains = new[] { "basic.test", "shop-7.gen.test" }, every = "PT1H", include_sitemaps = false });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            id = (await created.JsonAsync()).GetProperty("id").GetString()!;
            Assert.Empty(await BatchesAsync(client));

            _time.Advance(TimeSpan.FromMinutes(59));
            await Task.Delay(300, Ct);
            Assert.Empty(await BatchesAsync(client));

            _time.Advance(TimeSpan.FromMinutes(1));
            var batch = await WaitForEndedBatchesAsync(client, 1);
            Assert.Equal("completed", batch.GetProperty("status").GetString());
            Assert.Equal(2, batch.GetProperty("completed_jobs").GetInt32());
            using var domains = await client.GetPathAsync("/api/v1/domains");
            var titles = (await domains.JsonAsync()).GetProperty("items").EnumerateArray()
                .ToDictionary(d => d.GetProperty("domain").GetString()!, d => d.GetProperty("title").GetString());
            Assert.Equal("Basic Test Site", titles["basic.test"]);
            Assert.Equal("Shop 7", titles["shop-7.gen.test"]);

            var schedule = await ScheduleAsync(client, id);
            Assert.Equal(batch.GetProperty("batch_id").GetString(), schedule.GetProperty("last_batch_id").GetString());
            Assert.Equal(1, schedule.GetProperty("run_count").GetInt32());
            Assert.Equal(Start.AddHours(2).UtcDateTime, schedule.GetProperty("next_run_at").GetDateTime().ToUniversalTime());
        }

        // Down while the 14:00, 15:00 and 16:00 runs fell due; started again at 16:30.
        _time.Advance(TimeSpan.FromHours(3.5));
        await using (var server = StartServer())
        {
            using var client = Client(server, key);
            var batch = await WaitForEndedBatchesAsync(client, 2);
            Assert.Equal("completed", batch.GetProperty("status").GetString());

            // More polls on the moved clock before the next grid time start nothing more.
            for (var i = 0; i < 5; i++)
            {
                _time.Advance(TimeSpan.FromMinutes(5));
                await Task.Delay(100, Ct);
            }

            Assert.Equal(2, (await BatchesAsync(client)).Count);
            var schedule = await ScheduleAsync(client, id);
            Assert.Equal(2, schedule.GetProperty("run_count").GetInt32());
            Assert.Equal(Start.AddHours(17 - 12).UtcDateTime, schedule.GetProperty("next_run_at").GetDateTime().ToUniversalTime());
            Assert.Equal(batch.GetProperty("batch_id").GetString(), schedule.GetProperty("last_batch_id").GetString());
        }
    }
}
