using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ScraperSky.Server.Tests.Hosting;

/// Work the host would do on every request that nobody reads: status polls are most of this server's requests.
public sealed class RequestOverheadTests : IDisposable
{
    // Its own database file: the default one in the output folder would outlive the test run.
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"scrapersky-overhead-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_request_runs_without_an_activity_for_the_hosts_request_log()
    {
        var seen = new List<Activity?>();
        await using var factory = Server(services => services.AddSingleton<IStartupFilter>(new Recorder(seen)));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([null], seen);
    }

    [Fact]
    public async Task Connections_read_into_their_buffer_without_waiting_for_data_first()
    {
        await using var factory = Server(_ => { });

        Assert.False(factory.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.WaitForDataBeforeAllocatingBuffer);
    }

    private WebApplicationFactory<Program> Server(Action<IServiceCollection> services) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            // The shipped settings (appsettings.json), as a server started without any runs them.
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:ScraperSky", $"Data Source={_path}");
            builder.UseSetting("Server:Role", "Api");
            builder.ConfigureServices(services);
        });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// Notes the activity each request runs under, ahead of the app's own middleware.
    private sealed class Recorder(List<Activity?> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                lock (seen)
                {
                    seen.Add(Activity.Current);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
