using System.Diagnostics;
using System.Globalization;

namespace ScraperSky.Benchmarks.Load;

/// `dotnet-trace collect` (a .NET global tool: `dotnet tool install -g dotnet-trace`) attached to the first server
/// process for a fixed time from the submission (`--trace-seconds`, 30 by default), sampling thread stacks; read the file with
/// `dotnet-trace report <file> topN -n 40` (exclusive) or `--inclusive`.
internal sealed class ServerTrace : IAsyncDisposable
{
    private readonly Process _process;

    private ServerTrace(Process process) => _process = process;

    public static ServerTrace Start(int processId, string path, TimeSpan duration)
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace")
        {
                        RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "-o", path, "--duration", duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return new ServerTrace(process);
    }

    /// The file is complete when the tool exits, at the end of its duration.
    public async Task StopAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await _process.WaitForExitAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
