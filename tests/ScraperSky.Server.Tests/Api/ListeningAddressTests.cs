using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Mvc.Testing;
using ScraperSky.Server.Hosting;

namespace ScraperSky.Server.Tests.Api;

/// Local mode judged from where the server listens (Kestrel, or the in-process server with no addresses), with
/// `Auth:RequireApiKey` left false.
public sealed class ListeningAddressTests : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"scrapersky-listen-{Guid.NewGuid():N}.db");
    private WebApplicationFactory<Program>? _factory;

    [Fact]
    public async Task A_server_listening_on_every_address_requires_a_key()
    {
        using var client = Start(IPAddress.Any);
        using var response = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "listen-any.com" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("API key", await response.DetailAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_listening_only_on_loopback_needs_no_key()
    {
        using var client = Start(IPAddress.Loopback);
        using var response = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "listen-loopback.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1.evil.example:80", HttpStatusCode.BadRequest)]
    [InlineData("localhost:5080", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("[::1]:5080", HttpStatusCode.OK)]
    public async Task By_default_only_loopback_host_names_are_answered(string host, HttpStatusCode expected)
    {
        using var client = Start(IPAddress.Loopback);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { Host = host } };
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_server_reporting_no_listening_addresses_requires_a_key()
    {
        // The in-process server reports the configured URLs as its addresses; with none it reports none, and
        // nothing then says it cannot be reached from elsewhere.
        _factory = Configure().WithWebHostBuilder(builder => builder.UseSetting("Urls", ""));
        using var client = _factory.CreateClient();
        using var response = await client.PostJsonAsync("/api/v1/scrapersky", new { base_url = "listen-nowhere.com" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(null, null, "http://localhost:5080")]
    [InlineData("http://127.0.0.1:6001", null, "http://127.0.0.1:6001")]
    [InlineData(null, "http://0.0.0.0:6002", "http://0.0.0.0:6002")]
    public void The_default_address_is_used_only_when_nothing_else_names_one(string? beforeDefault, string? afterDefault, string expected)
    {
        // A source present when the default goes in (as ASPNETCORE_URLS and --urls are), or added after it (as
        // appsettings.json and environment variables are in a host's own order): either wins over the default.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        if (beforeDefault is not null)
        {
            builder.Configuration["urls"] = beforeDefault;
        }

        builder.UseDefaultListeningAddress();
        if (afterDefault is not null)
        {
            builder.Configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("urls", afterDefault)]);
        }

        Assert.Equal(expected, builder.Configuration["urls"]);
    }

    [Fact]
    public void A_port_another_process_holds_is_found_before_the_server_starts()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        Assert.Equal(taken, ListeningAddresses.FindAddressInUse(["http://127.0.0.1:0", taken]));
        holder.Stop();
        Assert.Null(ListeningAddresses.FindAddressInUse([taken]));
    }

    private HttpClient Start(IPAddress address)
    {
        // The configured address is one Kestrel overrides here; a free port, so that the start-up check for a port
        // in use never trips over a server someone runs on the default one.
        _factory = Configure().WithWebHostBuilder(builder => builder.UseSetting("Urls", "http://127.0.0.1:0"));
        _factory.UseKestrel(kestrel => kestrel.Listen(address, 0));
        _factory.StartServer();
        var client = _factory.CreateClient();
        // A wildcard listening address is not one to connect to; this machine answers on loopback either way.
        client.BaseAddress = new UriBuilder(client.BaseAddress!) { Host = "127.0.0.1" }.Uri;
        return client;
    }

    private WebApplicationFactory<Program> Configure() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:ScraperSky", $"Data Source={_path}");
            builder.UseSetting("Server:Role", "Api");
            builder.UseSetting("Auth:RequireApiKey", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        });

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
