using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ScraperSky.Testing.Processes;

/// The real server as a child process (`dotnet ScraperSky.Server.dll`), configured through environment variables and
/// switches as an operator would run it. Standard output and error are kept apart so that tests can read the start-up
/// banner and one-line errors; <see cref="Kill"/> is SIGKILL, so no shutdown code runs. Its CPU time and peak RSS are
/// read from /proc (Linux), so a load run measures the server alone, not the fleet or the test process.
public sealed class ServerProcess : IAsyncDisposable
{
    private const int OutputLines = 400;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = Url };
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
    public string BaseUrl => Url.ToString().TrimEnd('/');
    public HttpClient Client { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string StandardOutput => string.Join('\n', _stdout);
    public string StandardError => string.Join('\n', _stderr);

    /// The process's last lines of output, for failure messages.
    public string Output => $"{StandardOutput}\n{StandardError}";

    /// Starts the server on a free loopback port (`--urls`, unless <paramref name="urlsSwitch"/> is false and the
    /// environment says where) and waits until `/health` answers. <paramref name="directory"/> is any build output
    /// holding the server (default: the test's own output, which references it); <paramref name="serverDll"/> names
    /// the server assembly itself (another build's, say) and wins over it.
    public static async Task<ServerProcess> StartAsync(
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken,
        IEnumerable<string>? arguments = null,
        int? port = null,
        bool urlsSwitch = true,
        string? directory = null,
        string? serverDll = null)
    {
        var server = Launch(environment, arguments ?? [], port ?? FreePort(), urlsSwitch, directory, serverDll);
        try
        {
            await server.WaitUntilHealthyAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// Starts the server and returns at once, for tests of a start that must fail.
    public static ServerProcess Launch(
        IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> arguments,
        int port,
        bool urlsSwitch = true,
        string? directory = null,
        string? serverDll = null)
    {
        directory = serverDll is null ? directory ?? AppContext.BaseDirectory : Path.GetDirectoryName(Path.GetFullPath(serverDll))!;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverDll is null ? Path.Combine(directory, "ScraperSky.Server.dll") : Path.GetFullPath(serverDll));
        if (urlsSwitch)
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("URLS");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__ScraperSky"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => Collect(server._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(server._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// SIGKILL: the process gets no chance to release leases or finish writes.
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// User plus system CPU time the process has used so far (/proc/&lt;pid&gt;/stat).
    public TimeSpan CpuTime() => ProcStat.ToTime(ProcStat.Read(ProcessId).CpuTicks);

    /// Peak resident set size (VmHWM of /proc/&lt;pid&gt;/status) in MiB.
    public double PeakRssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{ProcessId.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        throw new TimeoutException($"The server did not become healthy within 90 s:\n{Output}");
    }

    private static void Collect(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > OutputLines && lines.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }
}
