using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;
using ScraperSky.Server.Tests.Api;
using ScraperSky.Server.Webhooks;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Server.Tests.Webhooks;

/// The server in process on a fake clock, its webhooks reaching a receiver on the fleet through `Scanning:HostMap`.
/// Workers are off: scans end through the real job queue and each test runs delivery rounds itself.
public interface IWebhookFixture
{
    ApiFixture Api { get; }
    TestSiteFleet Fleet { get; }
    FakeTimeProvider Time { get; }
}

internal static class WebhookFixtureSettings
{
    public static void Apply(Dictionary<string, string?> settings, TestSiteFleet fleet)
    {
        settings["Scanning:HostMap:test"] = fleet.HostMapValue;
        // Short enough for a hanging receiver to cost little, long enough for two loaded cores to answer in time.
        settings["Webhooks:Timeout"] = "00:00:03";
    }

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
}

public sealed class SqliteWebhookFixture : SqliteApiFixture, IWebhookFixture
{
    public ApiFixture Api => this;
    public TestSiteFleet Fleet { get; private set; } = null!;
    public FakeTimeProvider Time { get; } = WebhookFixtureSettings.NewClock();

    public override async ValueTask InitializeAsync()
    {
        Fleet = await TestSiteFleet.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings) => WebhookFixtureSettings.Apply(settings, Fleet);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Time);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fleet.DisposeAsync();
    }
}

public sealed class PostgresWebhookFixture : PostgresApiFixture, IWebhookFixture
{
    public ApiFixture Api => this;
    public TestSiteFleet Fleet { get; private set; } = null!;
    public FakeTimeProvider Time { get; } = WebhookFixtureSettings.NewClock();

    public override async ValueTask InitializeAsync()
    {
        Fleet = await TestSiteFleet.StartAsync();
        await base.InitializeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings) => WebhookFixtureSettings.Apply(settings, Fleet);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Time);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fleet.DisposeAsync();
    }
}

public abstract class WebhookTests(IWebhookFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiFixture Api => fixture.Api;

    private static SiteMetadata Site(string title) => new() { Title = title, FinalUrl = "https://example.com/" };

    private async Task<string> CreateWebhookAsync(HttpClient client, string url, params string[] events)
    {
        using var response = await client.PostJsonAsync("/api/v1/webhooks", new { url, events, secret = WebhookReceiver.Secret });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    private async Task ScanAsync(HttpClient client, string domain, SiteMetadata? site)
    {
        using (var response = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { domain } }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var claim = Assert.Single(await Api.WithServiceAsync<JobQueue, IReadOnlyList<ClaimedJob>>(q => q.ClaimAsync("test-worker", 10, Ct)));
        await Api.WithServiceAsync<JobQueue, bool>(async q => site is null
            ? await q.FailAsync(claim, "Gone", isTransient: false, Ct) == FailureOutcome.Failed
            : await q.CompleteAsync(claim, site, null, Ct));
    }

    private Task<int> DeliverAsync() =>
        Api.WithServiceAsync<WebhookDispatcher, int>(d => d.RunOnceAsync("test-sender", Ct));

    private async Task<List<System.Text.Json.JsonElement>> DeliveriesAsync(HttpClient client, string webhookId)
    {
        using var response = await client.GetPathAsync($"/api/v1/webhooks/{webhookId}/deliveries");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task Every_event_reaches_the_receiver_signed_and_once_through_its_500s_and_timeouts()
    {
        var tenant = await Api.CreateTenantAsync("hooks");
        using var client = Api.CreateClient(tenant);
        var receiver = new WebhookReceiver(fixture.Fleet, $"r{Guid.NewGuid():N}.hooks.test");
        var webhookId = await CreateWebhookAsync(client, receiver.Url, "scan.completed", "domain.changed", "batch.completed");
        var domain = $"hooked-{Guid.NewGuid():N}"[..20] + ".com";

        await ScanAsync(client, domain, Site("Before"));
        await ScanAsync(client, domain, Site("After"));
        // Two scan.completed, one domain.changed (the title) and two batch.completed: five events, all queued.
        Assert.Equal(5, (await DeliveriesAsync(client, webhookId)).Count);

        receiver.Answer(500);
        receiver.Hang(TimeSpan.FromSeconds(10));
        receiver.Answer(503);
        Assert.Equal(5, await DeliverAsync());

        // Not due again until the retry delay has passed on the clock, and then the first retry comes within a minute.
        Assert.Equal(0, await DeliverAsync());
        fixture.Time.Advance(TimeSpan.FromSeconds(31));
        receiver.Answer(500);
        Assert.InRange(await DeliverAsync(), 3, 5);
        for (var round = 0; round < 5; round++)
        {
            fixture.Time.Advance(TimeSpan.FromMinutes(2));
            await DeliverAsync();
        }

        // A receiver that dedupes by `id` saw every event once, each signed; a slow answer the sender gave up on may
        // have reached it twice, never with a different id.
        Assert.Empty(receiver.BadSignatures);
        Assert.Equal(5, receiver.Accepted.Count);
        Assert.Equal(5, receiver.Events.Count);
        Assert.Equal(
            ["batch.completed", "batch.completed", "domain.changed", "scan.completed", "scan.completed"],
            receiver.Events.Select(e => e.Type).Order(StringComparer.Ordinal));
        var changed = Assert.Single(receiver.Events, e => e.Type == "domain.changed").Data;
        Assert.Equal(domain, changed.GetProperty("domain").GetString());
        var change = Assert.Single(changed.GetProperty("changes").EnumerateArray());
        Assert.Equal("title_changed", change.GetProperty("type").GetString());
        Assert.Equal("After", change.GetProperty("to").GetString());

        var deliveries = await DeliveriesAsync(client, webhookId);
        Assert.All(deliveries, d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
        Assert.True(deliveries.Max(d => d.GetProperty("attempts").GetInt32()) >= 3, "one delivery failed twice before it went through");
        Assert.Equal(0, await DeliverAsync());
    }

    [Fact]
    public async Task An_endpoint_failing_for_days_is_given_up_after_a_day_of_retries_and_then_disabled_with_its_reason()
    {
        var tenant = await Api.CreateTenantAsync("failing hooks");
        using var client = Api.CreateClient(tenant);
        var receiver = new WebhookReceiver(fixture.Fleet, $"r{Guid.NewGuid():N}.hooks.test");
        var webhookId = await CreateWebhookAsync(client, receiver.Url, "scan.completed");
        for (var i = 0; i < 100; i++)
        {
            receiver.Answer(500);
        }

        var domain = $"down-{Guid.NewGuid():N}"[..20] + ".com";
        await ScanAsync(client, domain, Site("Down"));
        var started = fixture.Time.GetUtcNow();
        var attempts = 0;
        while (fixture.Time.GetUtcNow() - started < TimeSpan.FromHours(30))
        {
            attempts += await DeliverAsync();
            fixture.Time.Advance(TimeSpan.FromMinutes(10));
        }

        var first = Assert.Single(await DeliveriesAsync(client, webhookId));
        Assert.Equal("failed", first.GetProperty("status").GetString());
        Assert.Equal(attempts, first.GetProperty("attempts").GetInt32());
        Assert.InRange(attempts, 8, 20);
        Assert.Contains("HTTP 500", first.GetProperty("last_error").GetString(), StringComparison.Ordinal);

        // Three days after the failures began, the next failed attempt disables the webhook; nothing more is sent.
        fixture.Time.Advance(TimeSpan.FromDays(2));
        await ScanAsync(client, domain, Site("Still down"));
        Assert.Equal(1, await DeliverAsync());
        using var list = await client.GetPathAsync("/api/v1/webhooks");
        var webhook = Assert.Single((await list.JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(webhookId, webhook.GetProperty("id").GetString());
        Assert.Contains("failed for 3 days", webhook.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.False(webhook.TryGetProperty("secret", out _));
        var requests = receiver.Requests;
        fixture.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await DeliverAsync());
        Assert.Equal(requests, receiver.Requests);
    }

    [Fact]
    public async Task A_webhook_to_a_private_address_is_refused_at_creation_and_at_delivery()
    {
        using var client = Api.CreateClient(Api.TenantA);
        foreach (var url in new[] { "http://127.0.0.1:8080/hook", "http://10.0.0.7/hook", "http://[::1]/hook", "http://0x7f.1/hook" })
        {
            using var response = await client.PostJsonAsync("/api/v1/webhooks", new { url, events = new[] { "scan.completed" } });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("public addresses", await response.DetailAsync(), StringComparison.Ordinal);
        }

        using (var bad = await client.PostJsonAsync("/api/v1/webhooks", new { url = "ftp://hooks.test/", events = new[] { "scan.completed" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using (var bad = await client.PostJsonAsync("/api/v1/webhooks", new { url = "http://x.hooks.test/", events = new[] { "scan.finished" } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        }

        // A secret is generated and shown once when none is given.
        using (var created = await client.PostJsonAsync("/api/v1/webhooks", new { url = "http://x.hooks.test/", events = new[] { "batch.completed" } }))
        {
            Assert.StartsWith("whsec_", (await created.JsonAsync()).GetProperty("secret").GetString(), StringComparison.Ordinal);
        }

        // A row that names the fleet's own loopback port (written past the API) is refused by the guarded connector.
        var tenant = await Api.CreateTenantAsync("sneaky");
        using var sneaky = Api.CreateClient(tenant);
        var receiver = new WebhookReceiver(fixture.Fleet, $"r{Guid.NewGuid():N}.hooks.test");
        var webhookId = await CreateWebhookAsync(sneaky, receiver.Url, "scan.completed");
        Assert.True(Data.PublicIds.TryParse(webhookId, Data.Entities.Webhook.PublicPrefix, out var id));
        await Api.UpdateDbAsync(async db => await db.Webhooks.Where(w => w.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Url, $"http://127.0.0.1:{fixture.Fleet.Port}/receive"), Ct));
        await ScanAsync(sneaky, $"sneaky-{Guid.NewGuid():N}"[..20] + ".com", Site("Sneaky"));
        Assert.Equal(1, await DeliverAsync());
        var delivery = Assert.Single(await DeliveriesAsync(sneaky, webhookId));
        Assert.Equal("pending", delivery.GetProperty("status").GetString());
        Assert.Contains("refused", delivery.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, receiver.Requests);

        // The tests of this class share one clock and database: leave no delivery due for another test's rounds.
        using var deleted = await sneaky.DeleteAsync(new Uri($"/api/v1/webhooks/{webhookId}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }

    [Fact]
    public async Task A_deleted_webhook_is_gone_with_its_deliveries_and_another_tenant_cannot_delete_it()
    {
        var tenant = await Api.CreateTenantAsync("deleter");
        using var client = Api.CreateClient(tenant);
        var receiver = new WebhookReceiver(fixture.Fleet, $"r{Guid.NewGuid():N}.hooks.test");
        var webhookId = await CreateWebhookAsync(client, receiver.Url, "scan.completed");
        await ScanAsync(client, $"gone-{Guid.NewGuid():N}"[..20] + ".com", Site("Gone"));

        using (var theirs = await Api.CreateClient(Api.TenantB).DeleteAsync(new Uri($"/api/v1/webhooks/{webhookId}", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        }

        using (var deleted = await client.DeleteAsync(new Uri($"/api/v1/webhooks/{webhookId}", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.Equal(webhookId, (await deleted.JsonAsync()).GetProperty("id").GetString());
        }

        using (var again = await client.GetPathAsync($"/api/v1/webhooks/{webhookId}/deliveries"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        Assert.Equal(0, await DeliverAsync());
        Assert.Equal(0, receiver.Requests);
    }
}

public sealed class SqliteWebhookTests(SqliteWebhookFixture fixture) : WebhookTests(fixture), IClassFixture<SqliteWebhookFixture>;

public sealed class PostgresWebhookTests(PostgresWebhookFixture fixture) : WebhookTests(fixture), IClassFixture<PostgresWebhookFixture>;
