using System.Text.Json;

namespace ScraperSky.Server.Tests.Hosting;

/// The runtime settings the server's build writes into its runtimeconfig.json, which `dotnet ScraperSky.Server.dll` reads
/// at start (the tests' own process runs under the test project's).
public sealed class RuntimeConfigTests
{
    [Fact]
    public void The_server_caps_gen0s_budget_at_8_MB_and_keeps_workstation_GC()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "ScraperSky.Server.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(8L * 1024 * 1024, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
    }

    [Fact]
    public void The_servers_idle_thread_pool_workers_do_not_spin()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "ScraperSky.Server.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
