using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Server.Tests.Webhooks;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Server.Tests.Durability;

/// The webhook outbox across a SIGKILL: a delivery queued (and failing) before the kill is delivered after a restart.
public sealed class WebhookDurabilityTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"scrapersky-hooks-{Guid.NewGuid():N}");
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
    public async Task A_delivery_queued_before_a_sigkill_is_delivered_once_after_the_restart()
    {
        var connectionString = $"Data Source={Path.Combine(_directory, "hooks.db")}";
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__ScraperSky"] = connectionString,
            ["Scanning__HostMap__test"] = _fleet.HostMapValue,
            ["Scanning__CheckMx"] = "false",
            ["Jobs__PollInterval"] = "00:00:00.250",
            ["Webhooks__PollInterval"] = "00:00:00.200",
            ["Webhooks__FirstRetryDelay"] = "00:00:01",
            ["Webhooks__MaxRetryDelay"] = "00:00:02",
            ["Webhooks__Timeout"] = "00:00:03",
            ["Webhooks__LeaseDuration"] = "00:00:05",
        };
        var receiver = new WebhookReceiver(_fleet, "kill.hooks.test");
        for (var i = 0; i < 10_000; i++)
        {
            receiver.Answer(500);
        }

        await using (var first = await ServerProcess.StartAsync(environment, [], Ct))
        {
            using (var created = await first.Client.PostAsJsonAsync(
                "/api/v1/webhooks", new { url = receiver.Url, events = new[] { "scan.completed" }, secret = WebhookReceiver.Secret }, Ct))
            {
                Assert.True(created.StatusCode == HttpStatusCode.OK, await created.Content.ReadAsStringAsync(Ct));
            }

            using (var scan = await first.Client.PostAsJsonAsync("/api/v1/scrapersky", new { base_url = "basic.test" }, Ct))
            {
                Assert.Equal(HttpStatusCode.OK, scan.StatusCode);
            }

            await WaitUntilAsync(() => Task.FromResult(receiver.Requests >= 1), "a failed attempt", first);
            first.Kill();
        }

        var atKill = await DeliveriesAsync(connectionString);
        var queued = Assert.Single(atKill);
        Assert.Equal(DeliveryStatus.Pending, queued.Status);
        Assert.Empty(receiver.Accepted);

        receiver.Recover();
        await using var second = await ServerProcess.StartAsync(environment, [], Ct);
        await WaitUntilAsync(
            async () => (await DeliveriesAsync(connectionString)).Single().Status == DeliveryStatus.Delivered, "the delivery delivered", second);

        Assert.Empty(receiver.BadSignatures);
        var accepted = Assert.Single(receiver.Accepted);
        Assert.Equal(1, accepted.Value);
        Assert.Equal(PublicIds.Format("evt_", queued.EventId), accepted.Key);
        Assert.Equal("scan.completed", Assert.Single(receiver.Events).Type);
    }

    private static async Task<List<WebhookDelivery>> DeliveriesAsync(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<ScraperSkyDbContext>();
        DataServiceCollectionExtensions.Configure(builder, DatabaseProvider.Sqlite, connectionString);
        await using var db = new ScraperSkyDbContext(builder.Options);
        return await db.WebhookDeliveries.AsNoTracking().ToListAsync(Ct);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, ServerProcess server)
    {
        try
        {
            await JobRows.WaitUntilAsync(condition, TimeSpan.FromSeconds(180), what, Ct);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Server output:\n{server.Output}", e);
        }
    }
}
