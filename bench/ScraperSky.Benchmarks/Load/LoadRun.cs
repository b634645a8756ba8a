using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Testing.Fleet;
using ScraperSky.Testing.Postgres;
using ScraperSky.Testing.Processes;

namespace ScraperSky.Benchmarks.Load;

/// The load run of issue 12: the real server, as a separate process with its default settings, scans a batch of
/// generated realistic sites (<see cref="LoadSites"/>) on the local fleet, submitted and followed through the API.
/// Prints domains/s, the server's CPU ms per domain and peak RSS (from /proc, the server processes only), failures,
/// the CPU of each group of server threads (thread-pool workers, extraction lane, background GC, tiered JIT, other,
/// exited; from /proc/&lt;pid&gt;/task, Linux only) in seconds and per domain, requests per domain (counted by the fleet),
/// the submission time, status requests/s during the batch, the scans running over time (<see cref="RunTimeline"/>)
/// and the load average; verifies no domain was scanned twice. The server is fresh unless `--warm-up-domains` has it scan
/// another batch first (a service that has been running); `--hammer-seconds 0` leaves the status bursts out (the pace
/// alone). The CPU per domain leaves out the status bursts' seconds and the scans completed in them. Targets (issue 12): ≥ 150 domains/s, ≤ 10 ms CPU per domain,
/// ≤ 300 MB, submission of 10,000 ≤ 0.5 s, ≥ 10,000 status requests/s.
///
///   dotnet run -c Release --project bench/ScraperSky.Benchmarks -- load-run [--domains 1000] [--warm-up-domains 0] [--latency-ms 100]
///       [--provider sqlite|postgres] [--database-latency-ms 0] [--processes 1|2] [--concurrency N] [--start-concurrency N] [--hammer-seconds 2|0] [--trace file.nettrace] [--trace-kind threads|gc|jit] [--trace-seconds 30]
///       [--trace-delay 0] [--server path/ScraperSky.Server.dll] [--server-env NAME=VALUE]...
public static class LoadRun
{
    public const string Command = "load-run";

    public static async Task<int> RunAsync(string[] args)
    {
        LoadRunOptions settings;
        try
        {
            settings = LoadRunOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"load-run: {e.Message}\n{LoadRunOptions.Usage}");
            return 2;
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var ct = cancel.Token;
        var sites = new LoadSites(TimeSpan.FromMilliseconds(settings.LatencyMs));
        await using var fleet = await TestSiteFleet.StartAsync();
        sites.MapOn(fleet);
        await sites.WarmUpAsync(fleet, ct);

        var directory = Path.Combine(Path.GetTempPath(), $"scrapersky-load-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        PostgresServer? postgres = null;
        DelayingRelay? relay = null;
        var servers = new List<ServerProcess>();
        try
        {
            string connectionString;
            if (settings.Postgres)
            {
                postgres = await PostgresServer.StartAsync();
                connectionString = await postgres.CreateDatabaseAsync("load");
            }
            else
            {
                connectionString = $"Data Source={Path.Combine(directory, "scrapersky.db")}";
            }

            if (settings.DatabaseLatencyMs > 0 && postgres is not null)
            {
                relay = new DelayingRelay(new IPEndPoint(IPAddress.Loopback, postgres.Port), TimeSpan.FromMilliseconds(settings.DatabaseLatencyMs));
            }

            var environment = new Dictionary<string, string>
            {
                ["Database__Provider"] = settings.Postgres ? "Postgres" : "Sqlite",
                ["ConnectionStrings__ScraperSky"] = relay is null ? connectionString : ThroughRelay(connectionString, relay),
                ["Scanning__HostMap__test"] = fleet.HostMapValue,
                // Email domains would be asked of real DNS, which this machine must not reach.
                ["Scanning__CheckMx"] = "false",
                // The server's own defaults (appsettings.json), which ServerProcess turns down to Warning for tests.
                ["Logging__LogLevel__Default"] = "Information",
                ["Logging__LogLevel__ScraperSky"] = "Information",
            };
            if (settings.Concurrency is { } concurrency)
            {
                environment["Jobs__Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
            }

            if (settings.StartConcurrency is { } start)
            {
                environment["Jobs__StartConcurrency"] = start.ToString(CultureInfo.InvariantCulture);
            }

            foreach (var (name, value) in settings.ServerEnvironment)
            {
                environment[name] = value;
            }

            for (var i = 0; i < settings.Processes; i++)
            {
                // The first process applies the migrations (always done for SQLite; asked for PostgreSQL).
                // The JIT's trace runs in the first process from its start.
                var processEnvironment = i == 0 && settings is { TraceKind: TraceKind.Jit, TracePath: { } jitFile }
                    ? new Dictionary<string, string>(environment.Concat(JitTimeline.Environment(jitFile)))
                    : environment;
                servers.Add(await ServerProcess.StartAsync(
                    processEnvironment, ct, settings.Postgres && i == 0 ? ["--migrate", "true"] : [], serverDll: settings.ServerDll ?? ServerAssembly()));
            }

            (double Seconds, int Failed, double SettleSeconds)? warmUp = settings.WarmUpDomains > 0 ? await WarmUpAsync(servers, settings, ct) : null;
            sites.ResetCounts();
            await using var trace = settings is { TracePath: { } tracePath, TraceKind: not TraceKind.Jit } ? ServerTrace.Start(
                servers[0].ProcessId, tracePath, settings.TraceKind == TraceKind.Gc, TimeSpan.FromSeconds(settings.TraceDelaySeconds), TimeSpan.FromSeconds(settings.TraceSeconds)) : null;
            var api = servers[0].Client;
            var domains = Enumerable.Range(1, settings.Domains).Select(LoadSites.Host).ToList();
            var cpuBefore = TotalCpu(servers);
            var postgresBefore = postgres?.CpuTime();
            var threadsBefore = ThreadsOf(servers);
            var submittedUtc = DateTime.UtcNow;
            var submitClock = Stopwatch.StartNew();
            var (submitted, refusal) = await SubmitAsync(api, domains, ct);
            var submitSeconds = submitClock.Elapsed.TotalSeconds;
            if (submitted is not { } batchId)
            {
                await Console.Error.WriteLineAsync(refusal);
                return 1;
            }

            var (counters, jobId) = await ReadBatchAsync(api, batchId, ct);
            var loadSamples = new List<double>();
            var timeline = new RunTimeline(Environment.ProcessorCount);
            timeline.Add(submitClock.Elapsed, counters.Running, TotalCpu(servers));
            StatusBurst? firstBurst = null, completedBurst = null, pendingBurst = null;
            var hammerCpu = TimeSpan.Zero;
            TimeSpan? postgresHammerCpu = TimeSpan.Zero;
            (List<ThreadCpu?> Before, List<ThreadCpu?> After)? hammerThreads = null;
            var hammered = false;
            // The hammer's seconds and the scans completed in them, left out of the second domains/s figure.
            var hammerSeconds = 0.0;
            var doneInHammer = 0;
            while (!counters.Ended)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                (counters, _) = await ReadBatchAsync(api, batchId, ct);
                loadSamples.Add(LoadAverage());
                timeline.Add(submitClock.Elapsed, counters.Running, TotalCpu(servers));
                if (!hammered && settings.HammerSeconds > 0 && counters.Ended is false && counters.Done >= settings.Domains / 4)
                {
                    // The hammer's own cost is not the scans': its seconds' CPU and the scans completed in them are left out of the per-domain figure.
                    hammered = true;
                    var before = TotalCpu(servers);
                    var postgresBeforeHammer = postgres?.CpuTime();
                    var threadsBeforeHammer = ThreadsOf(servers);
                    var hammerStarted = submitClock.Elapsed;
                    var doneBeforeHammer = counters.Done;
                    // The first burst meets the status path's code still at its first tier (the background JIT is busy
                    // with the scans' code this early): reported apart, the next bursts are the path's steady state.
                    firstBurst = await StatusHammer.RunAsync(servers[0].Port, jobId, TimeSpan.FromSeconds(settings.HammerSeconds), ct);
                    completedBurst = await StatusHammer.RunAsync(servers[0].Port, jobId, TimeSpan.FromSeconds(settings.HammerSeconds), ct);
                    // A job the batch has not reached: its status is read from the database, not from the completed
                    // answers kept in memory (a running job's is the same read, but it may end during the burst).
                    pendingBurst = await StatusHammer.RunAsync(servers[0].Port, await LastJobAsync(api, batchId, ct), TimeSpan.FromSeconds(settings.HammerSeconds), ct);
                    hammerCpu = TotalCpu(servers) - before;
                    postgresHammerCpu = postgres?.CpuTime() - postgresBeforeHammer;
                    (counters, _) = await ReadBatchAsync(api, batchId, ct);
                    hammerSeconds = (submitClock.Elapsed - hammerStarted).TotalSeconds;
                    doneInHammer = counters.Done - doneBeforeHammer;
                    hammerThreads = (threadsBeforeHammer, ThreadsOf(servers));
                }
            }

            var elapsed = submitClock.Elapsed.TotalSeconds;
            if (trace is not null)
            {
                await trace.StopAsync();
            }

            var cpu = TotalCpu(servers) - cpuBefore - hammerCpu;
            var postgresCpu = postgres?.CpuTime() - postgresBefore - postgresHammerCpu;
            var threads = ThreadGroups(threadsBefore, hammerThreads, ThreadsOf(servers));
            // An older --server build may keep no scan history to count from.
            long? scannedTwice = settings.ServerDll is null || HasScanHistory(settings.Postgres, connectionString)
                ? await ScannedTwiceAsync(settings.Postgres, connectionString, ct)
                : null;
            var scanWall = await ScanWallTimesAsync(settings.Postgres, connectionString, batchId, ct);
            (StatusBurst Burst, double ServerMs, double ClientMs)? idle = settings.HammerSeconds > 0
                ? await IdleBurstAsync(servers[0], jobId, TimeSpan.FromSeconds(settings.HammerSeconds), ct)
                : null;

            var provider = settings.Postgres
                ? $"postgres, {settings.Processes} process(es){(settings.DatabaseLatencyMs > 0 ? $", {settings.DatabaseLatencyMs} ms more per round trip to it" : "")}"
                : "sqlite";
            Console.WriteLine($"load run: {settings.Domains} domains, {settings.LatencyMs} ms latency, {provider}, concurrency {settings.StartConcurrency?.ToString(CultureInfo.InvariantCulture) ?? "default"} to {settings.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? "default"}, pages {sites.AveragePageKiB:0} KiB on average{string.Concat(settings.ServerEnvironment.Select(e => $", {e.Key}={e.Value}"))}");
            if (warmUp is { } w)
            {
                Console.WriteLine($"warm-up first:        {settings.WarmUpDomains} other domains in {w.Seconds:0.00} s ({settings.WarmUpDomains / w.Seconds:0.0} domains/s, {w.Failed} failed), then {w.SettleSeconds:0.0} s until the server was quiet; the figures below are the batch after it");
            }

            Console.WriteLine($"domains/s:            {settings.Domains / elapsed:0.0} ({elapsed:0.00} s from submission to the batch's end)");
            Console.WriteLine($"  hammer left out:    {(settings.Domains - doneInHammer) / (elapsed - hammerSeconds):0.0} (the status hammer's {hammerSeconds:0.0} s and the {doneInHammer} scans completed in them left out: the batch's own pace)");
            // The hammer's seconds are left out with the scans completed in them, as in the pace without the hammer.
            var measured = settings.Domains - doneInHammer;
            Console.WriteLine($"server CPU/domain:    {cpu.TotalMilliseconds / measured:0.0} ms ({cpu.TotalSeconds:0.0} s for the {measured} scans completed outside the status hammer's seconds)");
            Console.WriteLine($"CPU by thread:        {ThreadLine(threads, measured)}");
            if (relay is not null)
            {
                Console.WriteLine($"database relay:       {relay.Chunks} chunks, each held {relay.MeanOneWay.TotalMilliseconds:0.00} ms on average each way (asked: {settings.DatabaseLatencyMs / 2.0:0.00})");
            }

            if (postgresCpu is { } database)
            {
                Console.WriteLine($"PostgreSQL CPU/domain: {database.TotalMilliseconds / measured:0.0} ms (its processes, over the same seconds; with the server's {(cpu + database).TotalMilliseconds / measured:0.0} ms)");
                var (deadlocks, first) = Deadlocks(postgres!);
                Console.WriteLine($"PostgreSQL deadlocks: {deadlocks} (its log, the warm-up's included: each a transaction it rolled back after a second's wait)");
                foreach (var line in first)
                {
                    Console.WriteLine($"  {line}");
                }
            }

            Console.WriteLine($"peak RSS (VmHWM):     {string.Join(" + ", servers.Select(s => s.PeakRssMiB().ToString("0", CultureInfo.InvariantCulture)))} MiB{(warmUp is null ? "" : " (the warm-up's batch included)")}");
            Console.WriteLine($"scan wall time:       {ScanWallLine(scanWall)}");
            Console.WriteLine($"completed / failed:   {counters.Completed} / {counters.Failed}");
            Console.WriteLine($"requests/domain:      {sites.Requests / (double)settings.Domains:0.00} (fleet count)");
            Console.WriteLine($"paths asked for:      {string.Join(", ", sites.TopPaths(8).Select(p => $"{p.Path} {p.Count}"))}");
            Console.WriteLine($"submission:           {submitSeconds:0.000} s");
            Console.WriteLine($"status requests/s:    {completedBurst?.PerSecond ?? double.NaN:0} (GET /api/v1/status/{{id}} of a completed job, {StatusHammer.Clients} clients, {settings.HammerSeconds} s, while the batch ran)");
            Console.WriteLine($"  its latency:        {completedBurst?.LatencyLine() ?? "not measured"}");
            Console.WriteLine($"  first burst:        {firstBurst?.PerSecond ?? double.NaN:0} requests/s; {firstBurst?.LatencyLine() ?? "not measured"} (the same, right before: the path's first heavy use)");
            Console.WriteLine($"  of a pending job:   {pendingBurst?.PerSecond ?? double.NaN:0} requests/s; {pendingBurst?.LatencyLine() ?? "not measured"} (the batch's last job, read from the database)");
            Console.WriteLine(idle is { } after
                ? $"  after the batch:    {after.Burst.PerSecond:0} requests/s; {after.Burst.LatencyLine()}; server {after.ServerMs:0.000} ms CPU/request, clients {after.ClientMs:0.000} ms (the completed job again, idle, the path warm)"
                : "  after the batch:    not measured");
            Console.WriteLine($"scanned twice:        {scannedTwice?.ToString(CultureInfo.InvariantCulture) ?? "not known (this build keeps no scan history)"} domains");
            Console.WriteLine("over time:            scans running (the API's running_jobs), the servers' and the machine's CPU");
            foreach (var line in timeline.Lines())
            {
                Console.WriteLine(line);
            }

            Console.WriteLine($"load average:         {(loadSamples.Count > 0 ? loadSamples.Average() : LoadAverage()):0.00} (1-min, mean over the run); now {File.ReadAllText("/proc/loadavg").Trim()}");
            if (settings is { TraceKind: TraceKind.Gc, TracePath: { } gcTrace } && File.Exists(gcTrace))
            {
                foreach (var line in GcPauses.Summarize(gcTrace))
                {
                    Console.WriteLine(line);
                }
            }

            if (settings is { TraceKind: TraceKind.Jit, TracePath: { } jitTrace } && File.Exists(jitTrace))
            {
                foreach (var line in JitTimeline.Summarize(jitTrace, submittedUtc, submittedUtc.AddSeconds(elapsed)))
                {
                    Console.WriteLine(line);
                }
            }
            return counters.Failed == 0 && scannedTwice is null or 0 ? 0 : 1;
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            if (relay is not null)
            {
                await relay.DisposeAsync();
            }

            postgres?.Stop();
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string ThroughRelay(string connectionString, DelayingRelay relay) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = relay.Port }.ConnectionString;

    /// The Release build of the server in this repository, which `dotnet run -c Release` of the benchmarks builds; a
    /// bench run starts it unless `--server` names another.
    public static string ServerAssembly()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ScraperSky.slnx")))
            {
                var dll = Path.Combine(directory.FullName, "src", "ScraperSky.Server", "bin", "Release", "net10.0", "ScraperSky.Server.dll");
                return File.Exists(dll)
                    ? dll
                    : throw new InvalidOperationException($"{dll} is missing: run the load run with -c Release, which builds it.");
            }
        }

        throw new InvalidOperationException("The load run must run from inside the repository (no ScraperSky.slnx above it).");
    }

    /// Submits a batch through the API: its id, or null and the answer that refused it.
    private static async Task<(string? BatchId, string Refusal)> SubmitAsync(HttpClient api, List<string> domains, CancellationToken ct)
    {
        using var accepted = await api.PostAsJsonAsync(new Uri("/api/v1/batch", UriKind.Relative), new { domains }, ct);
        var body = await accepted.Content.ReadAsStringAsync(ct);
        if (!accepted.IsSuccessStatusCode)
        {
            return (null, $"POST /api/v1/batch answered {(int)accepted.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("batch_id").GetString()!, "");
    }

    /// Scans a batch of other domains (numbered after the measured ones) to its end, then waits until the servers have
    /// been quiet for a second (under 5% of a core; the tiered JIT's last recompilations, at most 60 s).
    private static async Task<(double Seconds, int Failed, double SettleSeconds)> WarmUpAsync(
        List<ServerProcess> servers, LoadRunOptions settings, CancellationToken ct)
    {
        var api = servers[0].Client;
        var domains = Enumerable.Range(settings.Domains + 1, settings.WarmUpDomains).Select(LoadSites.Host).ToList();
        var clock = Stopwatch.StartNew();
        var (batchId, refusal) = await SubmitAsync(api, domains, ct);
        if (batchId is null)
        {
            throw new InvalidOperationException($"The warm-up: {refusal}");
        }

        BatchCounters counters;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            (counters, _) = await ReadBatchAsync(api, batchId, ct);
        }
        while (!counters.Ended);

        var seconds = clock.Elapsed.TotalSeconds;
        var settle = Stopwatch.StartNew();
        var quietSince = Stopwatch.StartNew();
        var cpu = TotalCpu(servers);
        while (quietSince.Elapsed < TimeSpan.FromSeconds(1) && settle.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            var now = TotalCpu(servers);
            if ((now - cpu).TotalMilliseconds > 0.05 * 250)
            {
                quietSince.Restart();
            }

            cpu = now;
        }

        return (seconds, counters.Failed, settle.Elapsed.TotalSeconds);
    }

    /// The completed job's status once the batch has ended, the cores free and the path warm: the idle figure beside the
    /// ones during the batch, with the server's CPU per request and the clients' (this process's, its fleet idle by then).
    private static async Task<(StatusBurst Burst, double ServerMs, double ClientMs)> IdleBurstAsync(
        ServerProcess server, string jobId, TimeSpan duration, CancellationToken ct)
    {
        using var self = Process.GetCurrentProcess();
        var serverBefore = server.CpuTime();
        var clientBefore = self.TotalProcessorTime;
        var burst = await StatusHammer.RunAsync(server.Port, jobId, duration, ct);
        self.Refresh();
        var requests = Math.Max(1, burst.SortedTicks.Length);
        return (burst, (server.CpuTime() - serverBefore).TotalMilliseconds / requests, (self.TotalProcessorTime - clientBefore).TotalMilliseconds / requests);
    }

    private static TimeSpan TotalCpu(List<ServerProcess> servers) =>
        servers.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.CpuTime());

    private static List<ThreadCpu?> ThreadsOf(List<ServerProcess> servers) => [.. servers.Select(s => ThreadCpu.Read(s.ProcessId))];

    /// Per thread group over the same span as the CPU per domain: from the submission to the batch's end, without the
    /// status hammer's seconds; null when any snapshot is missing (no /proc).
    private static IReadOnlyList<ThreadGroupCpu>? ThreadGroups(
        List<ThreadCpu?> start, (List<ThreadCpu?> Before, List<ThreadCpu?> After)? hammer, List<ThreadCpu?> end)
    {
        List<(List<ThreadCpu?> From, List<ThreadCpu?> To)> spans = hammer is { } h ? [(start, h.Before), (h.After, end)] : [(start, end)];
        var parts = new List<IReadOnlyList<ThreadGroupCpu>>();
        foreach (var (from, to) in spans)
        {
            for (var i = 0; i < from.Count; i++)
            {
                if (from[i] is not { } earlier || to[i] is not { } later)
                {
                    return null;
                }

                parts.Add(later.Since(earlier));
            }
        }

        return ThreadGroupCpu.Sum(parts);
    }

    private static string ThreadLine(IReadOnlyList<ThreadGroupCpu>? groups, int domains) => groups is null
        ? ThreadCpu.NotAvailable
        : string.Join(", ", groups.Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{g.Group} {g.Cpu.TotalSeconds:0.0} s = {g.Cpu.TotalMilliseconds / domains:0.0} ms/domain{(g.Threads > 1 ? $" ({g.Threads} threads)" : "")}")));

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static async Task<(BatchCounters Counters, string FirstJobId)> ReadBatchAsync(HttpClient api, string batchId, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/batch/status/{batchId}?jobs_limit=1", UriKind.Relative), ct));
        var root = json.RootElement;
        var counters = new BatchCounters(
            root.GetProperty("total_jobs").GetInt32(), root.GetProperty("completed_jobs").GetInt32(),
            root.GetProperty("failed_jobs").GetInt32(),
            root.TryGetProperty("cancelled_jobs", out var cancelled) ? cancelled.GetInt32() : 0, // an older --server build has no cancelling
            root.GetProperty("running_jobs").GetInt32());
        return (counters, root.GetProperty("jobs")[0].GetProperty("job_id").GetString()!);
    }

    /// The batch's last job, which a quarter of the way through the batch is still waiting to be claimed.
    private static async Task<string> LastJobAsync(HttpClient api, string batchId, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/v1/batch/status/{batchId}?jobs_limit=10000", UriKind.Relative), ct));
        var jobs = json.RootElement.GetProperty("jobs");
        return jobs[jobs.GetArrayLength() - 1].GetProperty("job_id").GetString()!;
    }

    private static bool HasScanHistory(bool postgres, string connectionString)
    {
        if (postgres)
        {
            return true;
        }

        using var sqlite = new SqliteConnection(connectionString);
        sqlite.Open();
        using var query = sqlite.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'domain_scans'";
        return Convert.ToInt64(query.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private static async Task<long> ScannedTwiceAsync(bool postgres, string connectionString, CancellationToken ct)
    {
        const string sql = "SELECT COUNT(*) FROM (SELECT domain FROM domain_scans GROUP BY tenant_id, domain HAVING COUNT(*) > 1) AS twice";
        if (postgres)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        await using var sqlite = new SqliteConnection(connectionString);
        await sqlite.OpenAsync(ct);
        await using var query = sqlite.CreateCommand();
        query.CommandText = sql;
        return Convert.ToInt64(await query.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// The deadlocks PostgreSQL found (each found after `deadlock_timeout`, a second, and ended by rolling one of the
    /// transactions back), as its log tells them, and the log's lines about the first (which statements waited for which).
    private static (int Count, List<string> First) Deadlocks(PostgresServer postgres)
    {
        // The log belongs to the postgres user, readable by all.
        using var log = new FileStream(postgres.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(log);
        var (count, first) = (0, new List<string>());
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains("deadlock detected", StringComparison.Ordinal))
            {
                count++;
            }

            if (count == 1 && first.Count < 12)
            {
                first.Add(line.Length > 300 ? line[..300] : line);
            }
        }

        return (count, first);
    }

    /// A job's time from its claim to its completion, in milliseconds, of every completed job of the batch: how long one domain
    /// waits for its scan (its requests one after another, or overlapped) while the batch runs.
    private static async Task<List<double>> ScanWallTimesAsync(bool postgres, string connectionString, string batchId, CancellationToken ct)
    {
        var times = new List<double>();
        var batch = PublicIds.TryParse(batchId, BatchJob.PublicPrefix, out var id)
            ? id.Value
            : throw new InvalidOperationException($"The batch id '{batchId}' holds no UUID.");
        if (postgres)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                "SELECT EXTRACT(EPOCH FROM (completed_at - started_at)) * 1000 FROM jobs WHERE completed_at IS NOT NULL AND started_at IS NOT NULL AND batch_id = $1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = batch });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                times.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
            }

            return times;
        }

        await using var sqlite = new SqliteConnection(connectionString);
        await sqlite.OpenAsync(ct);
        await using var query = sqlite.CreateCommand();
        query.CommandText = "SELECT (julianday(completed_at) - julianday(started_at)) * 86400000.0 FROM jobs WHERE completed_at IS NOT NULL AND started_at IS NOT NULL AND upper(batch_id) = $id";
        query.Parameters.AddWithValue("$id", batch.ToString("D").ToUpperInvariant());
        await using var rows = await query.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            times.Add(rows.GetDouble(0));
        }

        return times;
    }

    private static string ScanWallLine(List<double> times)
    {
        if (times.Count == 0)
        {
            return "not measured";
        }

        times.Sort();
        double At(double q) => times[Math.Min(times.Count - 1, (int)(q * times.Count))];
        return string.Create(CultureInfo.InvariantCulture,
            $"median {At(0.5):0} ms, p90 {At(0.9):0} ms, mean {times.Average():0} ms (a job's claim to its completion)");
    }

    private sealed record BatchCounters(int Total, int Completed, int Failed, int Cancelled, int Running)
    {
        public int Done => Completed + Failed + Cancelled;

        public bool Ended => Done >= Total;
    }
}
