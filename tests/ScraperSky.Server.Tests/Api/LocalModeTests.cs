using System.Net;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Tests.Api;

/// The in-process server without `Auth:RequireApiKey`. It reports the configured `Urls` as its addresses, all loopback
/// here, so it is in local mode. `AllowedHosts` lets every name through, so that the server's own DNS-rebinding check
/// is what answers a foreign Host.
public sealed class LocalModeApiFixture : SqliteApiFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Auth:RequireApiKey"] = "false";
        settings["Urls"] = "http://localhost:5080";
        settings["AllowedHosts"] = "*";
    }
}

public sealed class LocalModeTests(LocalModeApiFixture fixture) : IClassFixture<LocalModeApiFixture>
{
    [Fact]
    public async Task Without_credentials_a_scan_goes_to_the_default_tenant_and_its_status_is_readable()
    {
        using var client = fixture.CreateClient();
        using var response = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "local-default.com" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jobId = (await response.JsonAsync()).GetProperty("job_id").GetString()!;

        var job = await FindJobAsync(jobId);
        Assert.Equal(Tenant.DefaultId, job.TenantId);
        using var status = await client.GetPathAsync($"/api/v1/status/{jobId}");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task A_body_tenant_unknown_so_far_is_created_and_used()
    {
        using var client = fixture.CreateClient();
        var tenantId = Guid.NewGuid();
        using var response = await client.PostJsonAsync("/api/v1/batch", new { domains = new[] { "local-one.com", "local-two.com" }, tenant_id = tenantId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batchId = (await response.JsonAsync()).GetProperty("batch_id").GetString()!;

        Assert.True(await fixture.WithDbAsync(db => db.Tenants.AnyAsync(t => t.Id == tenantId, TestContext.Current.CancellationToken)));
        Assert.Equal(2, await fixture.WithDbAsync(db => db.Jobs.CountAsync(j => j.TenantId == tenantId, TestContext.Current.CancellationToken)));
        using var status = await client.GetPathAsync($"/api/v1/batch/status/{batchId}");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(2, (await status.JsonAsync()).GetProperty("total_jobs").GetInt32());

        using var again = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "local-three.com", tenant_id = tenantId });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, await fixture.WithDbAsync(db => db.Tenants.CountAsync(t => t.Id == tenantId, TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task A_presented_key_must_still_be_valid()
    {
        using var invalid = fixture.CreateClient("ssk_wrong");
        using var refused = await invalid.PostJsonAsync("/api/v1/scrapersky", new { base_url = "local-key.com" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var valid = fixture.CreateClient(fixture.TenantA);
        using var accepted = await valid.PostJsonAsync("/api/v1/scrapersky", new { base_url = "local-key.com" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var job = await FindJobAsync((await accepted.JsonAsync()).GetProperty("job_id").GetString()!);
        Assert.Equal(fixture.TenantA.Id, job.TenantId);
    }

    [Theory]
    [InlineData("http://localhost:5080")]
    [InlineData("http://127.0.0.1:9")]
    [InlineData("http://[::1]:5080")]
    [InlineData("http://LOCALHOST")]
    public async Task Any_loopback_host_name_with_any_port_is_local(string baseAddress)
    {
        using var client = fixture.CreateClient();
        client.BaseAddress = new Uri(baseAddress);
        using var response = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "local-host-names.com" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://evil.example:5080")]
    [InlineData("http://127.0.0.1.evil.example")]
    [InlineData("http://192.168.1.10:5080")]
    public async Task A_request_naming_another_host_is_refused_as_dns_rebinding(string baseAddress)
    {
        using var client = fixture.CreateClient();
        client.BaseAddress = new Uri(baseAddress);
        using var submit = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "rebound.com" });
        using var read = await client.GetPathAsync("/api/v1/batch/status/batch_00000000000000000000000000000000");

        Assert.Equal(HttpStatusCode.BadRequest, submit.StatusCode);
        Assert.Contains("DNS rebinding", await submit.DetailAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, read.StatusCode);
        Assert.Equal(0, await fixture.WithDbAsync(db => db.Jobs.CountAsync(j => j.Domain == "rebound.com", TestContext.Current.CancellationToken)));
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7;proto=https")]
    [InlineData("X-Forwarded-Host", "scrapersky.example.com")]
    [InlineData("X-Real-IP", "203.0.113.7")]
    public async Task A_request_a_proxy_forwarded_needs_a_key(string header, string value)
    {
        using var client = fixture.CreateClient();
        client.DefaultRequestHeaders.Add(header, value);
        using var refused = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "proxied.com" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("API key", await refused.DetailAsync(), StringComparison.Ordinal);

        using var withKey = fixture.CreateClient(fixture.TenantA);
        withKey.DefaultRequestHeaders.Add(header, value);
        using var accepted = await withKey.PostJsonAsync("/api/v1/scrapersky", new { base_url = "proxied.com" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData(true, "http://localhost:5000")]
    [InlineData(true, "http://127.0.0.1:5080", "http://[::1]:5080")]
    [InlineData(true, "https://127.0.0.2:443")]
    [InlineData(false, "http://0.0.0.0:5000")]
    [InlineData(false, "http://[::]:5000")]
    [InlineData(false, "http://*:80")]
    [InlineData(false, "http://+:80")]
    [InlineData(false, "http://127.0.0.1:5000", "http://192.168.1.10:5000")]
    [InlineData(false, "http://scrapersky.example.com:80")]
    [InlineData(false)]
    public void Local_mode_needs_every_listening_address_to_be_loopback(bool expected, params string[] addresses) =>
        Assert.Equal(expected, LocalMode.ListensOnlyOnLoopback(addresses));

    private Task<Job> FindJobAsync(string jobId)
    {
        var id = PublicIds.TryParse(jobId, Job.PublicPrefix, out var parsed) ? parsed.Value : Guid.Empty;
        return fixture.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, TestContext.Current.CancellationToken));
    }
}
