using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Reflection.Emit;
using ScraperSky.Data;
using ScraperSky.Server.Hosting;

namespace ScraperSky.Ui.Tests;

/// How the server starts as a process: its banner, where it listens, and a port already taken.
public sealed class StartupTests : IAsyncDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"scrapersky-start-{Guid.NewGuid():N}.db");
    private readonly List<ServerProcess> _servers = [];

    private Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__ScraperSky"] = $"Data Source={_database}",
            ["Server__Role"] = "Api",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    [Fact]
    public async Task The_banner_names_the_ui_url_local_mode_and_the_sqlite_file()
    {
        var server = await Track(ServerProcess.StartAsync(Environment(), TestContext.Current.CancellationToken));
        var banner = await WaitForOutputAsync(server, "database:");

        Assert.Contains($"web UI {server.BaseUrl}/", banner, StringComparison.Ordinal);
        Assert.Contains("local mode", banner, StringComparison.Ordinal);
        Assert.Contains($"SQLite {_database}", banner, StringComparison.Ordinal);
#if DEBUG
        Assert.Contains(StartupBanner.UnoptimizedBuild, banner, StringComparison.Ordinal);
#else
        Assert.DoesNotContain("build:", banner, StringComparison.Ordinal);
#endif
    }

    [Fact]
    public void An_unoptimised_build_is_named_in_the_banner()
    {
        var debug = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("debug-build"), AssemblyBuilderAccess.Run);
        debug.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(DebuggableAttribute).GetConstructor([typeof(DebuggableAttribute.DebuggingModes)])!,
            [DebuggableAttribute.DebuggingModes.Default | DebuggableAttribute.DebuggingModes.DisableOptimizations]));

        Assert.False(StartupBanner.IsOptimized(debug));
        Assert.True(StartupBanner.IsOptimized(typeof(object).Assembly));
        Assert.Equal(
            "ScraperSky is running: web UI http://127.0.0.1:5080/  API docs http://127.0.0.1:5080/docs\n" +
            "  access:   local mode: no API key needed from this machine\n" +
            "  database: SQLite /data/scrapersky.db\n" +
            $"  build:    {StartupBanner.UnoptimizedBuild}\n\n",
            StartupBanner.Compose(["http://127.0.0.1:5080"], requireApiKey: false, "SQLite /data/scrapersky.db", optimized: false));
    }

    [Fact]
    public async Task With_keys_required_the_banner_says_so()
    {
        var server = await Track(ServerProcess.StartAsync(Environment(("Auth__RequireApiKey", "true")), TestContext.Current.CancellationToken));
        var banner = await WaitForOutputAsync(server, "database:");

        Assert.Contains("API keys required", banner, StringComparison.Ordinal);
        Assert.DoesNotContain("local mode", banner, StringComparison.Ordinal);
    }

    [Fact]
    public void A_postgres_database_is_described_by_host_port_and_name_without_its_password()
    {
        var text = StartupBanner.Describe(DatabaseProvider.Postgres, "Host=db.internal;Port=5433;Database=sky;Username=app;Password=s3cret-pw");

        Assert.Equal("PostgreSQL db.internal:5433/sky", text);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASPNETCORE_URLS_decides_where_the_server_listens_when_no_switch_is_given()
    {
        var port = ServerProcess.FreePort();
        var server = await Track(ServerProcess.StartAsync(
            Environment(("ASPNETCORE_URLS", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}")),
            TestContext.Current.CancellationToken, port: port, urlsSwitch: false));

        using var health = await server.Client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task The_urls_switch_wins_over_ASPNETCORE_URLS()
    {
        var other = ServerProcess.FreePort();
        var server = await Track(ServerProcess.StartAsync(
            Environment(("ASPNETCORE_URLS", $"http://127.0.0.1:{other.ToString(CultureInfo.InvariantCulture)}")),
            TestContext.Current.CancellationToken));

        Assert.NotEqual(other, server.Port);
        using var health = await server.Client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_port_in_use_ends_the_start_with_one_line_and_a_non_zero_exit_before_any_worker_runs()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        // Information for ScraperSky: a worker that started would say so.
        var server = ServerProcess.Launch(Environment(("Server__Role", "Both"), ("Logging__LogLevel__ScraperSky", "Information")), [], port);
        _servers.Add(server);
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        var error = Assert.Single(server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)} is already in use", error, StringComparison.Ordinal);
        Assert.DoesNotContain("worker", server.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ScraperSky is running", server.StandardOutput, StringComparison.Ordinal);
    }

    private async Task<ServerProcess> Track(Task<ServerProcess> starting)
    {
        var server = await starting;
        _servers.Add(server);
        return server;
    }

    private static async Task<string> WaitForOutputAsync(ServerProcess server, string text)
    {
        for (var i = 0; i < 100 && !server.StandardOutput.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return server.StandardOutput;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }
}
