using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ScraperSky.Benchmarks.Load;
using ScraperSky.Testing.Fleet;
using ScraperSky.Testing.Postgres;
using ScraperSky.Testing.Processes;

namespace ScraperSky.Benchmarks.Jobs;

/// The API's own share of throughput (issue 12), without scans competing for the cores: the real server as a separate
/// process (SQLite, or PostgreSQL with `--provider postgres`). Two figures, each as wall time and as the server's CPU
/// from /proc (the robust one on a shared machine):
///   - submission: `POST /api/v1/batch` of N new domains (JSON parsed, validated, stored), repeated, to a server with
///     `Server:Role=Api` so no worker claims them;
///   - batch status: `GET /api/v1/batch/status/{id}` of the last submitted batch (every job pending), a page of 1 (what
///     load-run polls), of 50 (the UI and the CLI) and every job, from 16 keep-alive clients;
///   - status: `GET /api/v1/status/{id}` of one of that batch's pending jobs (read from the database each time), and
///     of one completed scan (a real result on the fleet), from 16 keep-alive clients, with no batch running; the
///     completed scan's CPU per request is also split by server thread group (/proc, Linux only).
///
///   dotnet run -c Release --project bench/ScraperSky.Benchmarks -- api-run [--domains 10000] [--rounds 5]
///       [--status-seconds 5] [--provider sqlite|postgres] [--server path/ScraperSky.Server.dll]
public static class ApiRun
{
    public const string Command = "api-run";

    public static async Task<int> RunAsync(string[] args)
    {
        ApiRunOptions options;
        try
        {
            options = ApiRunOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"api-run: {e.Message}\n{ApiRunOptions.Usage}");
            return 2;
        }

        var (domains, rounds, statusSeconds, postgres, serverDll) =
            (options.Domains, options.Rounds, options.StatusSeconds, options.Postgres, options.ServerDll);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var ct = cancel.Token;
        var directory = Path.Combine(Path.GetTempPath(), $"scrapersky-api-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        PostgresServer? cluster = null;
        try
        {
            var sites = new LoadSites(TimeSpan.Zero);
            await using var fleet = await TestSiteFleet.StartAsync();
            sites.MapOn(fleet);
            if (postgres)
            {
                cluster = await PostgresServer.StartAsync();
            }

            async Task<Dictionary<string, string>> EnvironmentAsync(string name) => new()
            {
                ["Database__Provider"] = postgres ? "Postgres" : "Sqlite",
                ["ConnectionStrings__ScraperSky"] = postgres
                    ? await cluster!.CreateDatabaseAsync(name)
                    : $"Data Source={Path.Combine(directory, name + ".db")}",
                ["Scanning__HostMap__test"] = fleet.HostMapValue,
                ["Scanning__CheckMx"] = "false",
                // The server's own defaults (appsettings.json), which ServerProcess turns down to Warning for tests.
                ["Logging__LogLevel__Default"] = "Information",
                ["Logging__LogLevel__ScraperSky"] = "Information",
            };

            var migrate = postgres ? new[] { "--migrate", "true" } : [];
            Console.WriteLine($"api run: {(postgres ? "postgres" : "sqlite")}, load average now {File.ReadAllText("/proc/loadavg").Trim()}");

            var submitEnvironment = await EnvironmentAsync("submit");
            submitEnvironment["Server__Role"] = "Api";
            await using (var server = await ServerProcess.StartAsync(submitEnvironment, ct, migrate, serverDll: serverDll ?? LoadRun.ServerAssembly()))
            {
                var walls = new List<double>();
                var cpus = new List<double>();
                var batchId = "";
                for (var round = 0; round < rounds; round++)
                {
                    var batch = Enumerable.Range(round * domains, domains).Select(n => $"site{n.ToString(CultureInfo.InvariantCulture)}.example").ToList();
                    var cpu = server.CpuTime();
                    var clock = Stopwatch.StartNew();
                    using var accepted = await server.Client.PostAsJsonAsync(new Uri("/api/v1/batch", UriKind.Relative), new { domains = batch }, ct);
                    walls.Add(clock.Elapsed.TotalSeconds);
                    cpus.Add((server.CpuTime() - cpu).TotalSeconds);
                    if (!accepted.IsSuccessStatusCode)
                    {
                        await Console.Error.WriteLineAsync($"POST /api/v1/batch answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync(ct)}");
                        return 1;
                    }

                    batchId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("batch_id").GetString()!;
                }

                Console.WriteLine($"submission of {domains}: wall {Figures(walls)} s; server CPU {Figures(cpus)} s (rounds {rounds}: median, min, each)");

                // What the UI and the CLI poll (a page of jobs and the counters), and what a v1 client polls (every job).
                foreach (var (query, what) in new[] { ("?jobs_limit=1", "1 job and the counters"), ("?jobs_limit=50", "50 jobs and the counters"), ("", "every job") })
                {
                    var path = $"/api/v1/batch/status/{batchId}{query}";
                    await StatusHammer.RunPathAsync(server.Port, path, TimeSpan.FromSeconds(1), ct);
                    var cpu = server.CpuTime();
                    var clock = Stopwatch.StartNew();
                    var perSecond = (await StatusHammer.RunPathAsync(server.Port, path, TimeSpan.FromSeconds(statusSeconds), ct)).PerSecond;
                    var requests = perSecond * clock.Elapsed.TotalSeconds;
                    Console.WriteLine($"batch status of {domains} pending jobs, {what}: {perSecond:0} requests/s, {(server.CpuTime() - cpu).TotalMilliseconds / requests:0.000} ms server CPU per request");
                }

                // A job not yet ended is read from the database on every request (what a client polling a running scan costs).
                using var page = JsonDocument.Parse(await server.Client.GetStringAsync(new Uri($"/api/v1/batch/status/{batchId}?jobs_limit=1", UriKind.Relative), ct));
                var pendingId = page.RootElement.GetProperty("jobs")[0].GetProperty("job_id").GetString()!;
                await StatusHammer.RunAsync(server.Port, pendingId, TimeSpan.FromSeconds(1), ct);
                var pendingCpu = server.CpuTime();
                var pendingClock = Stopwatch.StartNew();
                var pending = (await StatusHammer.RunAsync(server.Port, pendingId, TimeSpan.FromSeconds(statusSeconds), ct)).PerSecond;
                Console.WriteLine($"status of a pending scan: {pending:0} requests/s, {(server.CpuTime() - pendingCpu).TotalMilliseconds / (pending * pendingClock.Elapsed.TotalSeconds):0.000} ms server CPU per request ({StatusHammer.Clients} clients, {statusSeconds} s, no batch running)");
            }

            await using (var server = await ServerProcess.StartAsync(await EnvironmentAsync("status"), ct, migrate, serverDll: serverDll ?? LoadRun.ServerAssembly()))
            {
                using var accepted = await server.Client.PostAsJsonAsync(new Uri("/api/v1/scrapersky", UriKind.Relative), new { base_url = LoadSites.Host(1) }, ct);
                var jobId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("job_id").GetString()!;
                var status = new Uri($"/api/v1/status/{jobId}", UriKind.Relative);
                string state;
                do
                {
                    await Task.Delay(200, ct);
                    state = JsonDocument.Parse(await server.Client.GetStringAsync(status, ct)).RootElement.GetProperty("status").GetString()!;
                }
                while (state is "pending" or "running");

                var bytes = (await server.Client.GetByteArrayAsync(status, ct)).Length;
                // A short warm-up so the figures are of the steady state, not of JIT compilation.
                await StatusHammer.RunAsync(server.Port, jobId, TimeSpan.FromSeconds(1), ct);
                var cpu = server.CpuTime();
                var threadsBefore = ThreadCpu.Read(server.ProcessId);
                var clock = Stopwatch.StartNew();
                var perSecond = (await StatusHammer.RunAsync(server.Port, jobId, TimeSpan.FromSeconds(statusSeconds), ct)).PerSecond;
                var requests = perSecond * clock.Elapsed.TotalSeconds;
                var cpuMs = (server.CpuTime() - cpu).TotalMilliseconds;
                var threads = ThreadCpu.Read(server.ProcessId) is { } after && threadsBefore is not null ? after.Since(threadsBefore) : null;
                Console.WriteLine($"status of a {state} scan ({bytes} bytes): {perSecond:0} requests/s, {cpuMs / requests:0.000} ms server CPU per request ({StatusHammer.Clients} clients, {statusSeconds} s, no batch running)");
                Console.WriteLine($"status CPU by thread: {(threads is null ? ThreadCpu.NotAvailable : string.Join(", ", threads.Where(g => g.Cpu > TimeSpan.Zero).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Group} {g.Cpu.TotalMilliseconds / requests:0.000} ms/request"))))}");
            }

            Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            cluster?.Stop();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Figures(List<double> values)
    {
        var sorted = values.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"{sorted[sorted.Count / 2]:0.000} median, {sorted[0]:0.000} min ({string.Join(", ", values.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))})");
    }
}
