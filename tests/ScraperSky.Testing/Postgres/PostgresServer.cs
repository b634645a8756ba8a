using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using ScraperSky.Testing.Processes;

namespace ScraperSky.Testing.Postgres;

/// A throwaway PostgreSQL cluster for one test process: `initdb` into a temporary directory owned by the `postgres`
/// user (initdb refuses root), `pg_ctl start` on a free loopback port, each test gets its own database.
/// Nothing is skipped: without PostgreSQL binaries the tests that need them fail with the reason.
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _shared;
    private int _databases;

    private PostgresServer(string binDirectory, string dataDirectory, int port)
    {
        BinDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string BinDirectory { get; }
    public string DataDirectory { get; }
    public int Port { get; }

    /// The cluster's log (`pg_ctl -l`).
    public string LogPath => Path.Combine(Path.GetDirectoryName(DataDirectory)!, "server.log");

    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// The cluster shared by every test of this process, started on first use and stopped at process exit.
    public static async Task<PostgresServer> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await StartAsync();
                // At exit the files are removed by a process of their own: a test process leaves a hundred databases
                // behind, and deleting them here held its exit past the ten seconds the test runner allows after the
                // run ("Foreground threads were left running", exit code 7 with every test green).
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _shared.Stop(removeFilesInBackground: true);
            }

            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinDirectory();
        var root = Path.Combine(Path.GetTempPath(), "scrapersky-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var data = Path.Combine(root, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"postgres:postgres {root}");
        }

        await RunAsPostgresAsync(asRoot, Path.Combine(bin, "initdb"),
            $"-D {data} -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync");
        var port = FreePort();
        // SCRAPERSKY_PG_OPTIONS adds server settings for a measurement, e.g. "-c shared_preload_libraries=pg_stat_statements".
        var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                      "-c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB " +
                      Environment.GetEnvironmentVariable("SCRAPERSKY_PG_OPTIONS");
        await RunAsPostgresAsync(asRoot, Path.Combine(bin, "pg_ctl"),
            $"-D {data} -l {Path.Combine(root, "server.log")} -o \"{options}\" -w -t 60 start");
        return new PostgresServer(bin, data, port);
    }

    /// A new empty database; its connection string.
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{prefix ?? "test"}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = true,
        MaxPoolSize = 50,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// CPU the cluster has used so far (Linux, from /proc): the postmaster's own, its ended children's (reaped, in its
    /// cutime and cstime) and its running children's (backends, WAL writer, checkpointer); null where it cannot be read.
    public TimeSpan? CpuTime()
    {
        try
        {
            var postmaster = int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            var own = ProcStat.Read(postmaster);
            var ticks = own.CpuTicks + own.Field(ProcStat.ChildrenUserTime) + own.Field(ProcStat.ChildrenSystemTime);
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == postmaster)
                {
                    continue;
                }

                try
                {
                    var child = ProcStat.Read(pid);
                    if (child.Field(ProcStat.ParentId) == postmaster)
                    {
                        ticks += child.CpuTicks;
                    }
                }
                catch (IOException)
                {
                    // Ended between the listing and the read: once reaped, its time is in the postmaster's cutime.
                }
            }

            return ProcStat.ToTime(ticks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// Stops the cluster and removes its files; with <paramref name="removeFilesInBackground"/> the removal is left to an
    /// `rm -rf` that outlives this process.
    public void Stop(bool removeFilesInBackground = false)
    {
        var asRoot = Environment.UserName == "root";
        try
        {
            RunAsPostgresAsync(asRoot, Path.Combine(BinDirectory, "pg_ctl"), $"-D {DataDirectory} -m immediate -w stop")
                .GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        var root = Path.GetDirectoryName(DataDirectory)!;
        if (removeFilesInBackground && TryRemoveInBackground(root))
        {
            return;
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool TryRemoveInBackground(string directory)
    {
        try
        {
            var remove = new ProcessStartInfo("rm") { UseShellExecute = false };
            remove.ArgumentList.Add("-rf");
            remove.ArgumentList.Add("--");
            remove.ArgumentList.Add(directory);
            using var process = Process.Start(remove);
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static string FindBinDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SCRAPERSKY_PG_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "initdb")))
        {
            return fromEnvironment;
        }

        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var bin = Directory.GetDirectories(root)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
            if (bin is not null)
            {
                return bin;
            }
        }

        throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql), " +
            "or set SCRAPERSKY_PG_BIN.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(bool asRoot, string program, string arguments) =>
        asRoot ? RunAsync("runuser", $"-u postgres -- {program} {arguments}") : RunAsync(program, arguments);

    private static async Task RunAsync(string program, string arguments)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"{program} {arguments}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/tmp",
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {arguments} exited {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
