using System.Diagnostics;
using System.Globalization;

namespace ScraperSky.Benchmarks.Load;

/// `dotnet-trace collect` (a .NET global tool: `dotnet tool install -g dotnet-trace`) attached to the first server
/// process for the length of the batch, sampling thread stacks; read the file with
/// `dotnet-trace report <file> topN -n 40` (exclusive) or `--inclusive`.
internal sealed class ServerTrace : IAsyncDisposable
{
    private readonly Process _process;

    private ServerTrace(Process process) => _process = process;

    public static ServerTrace Start(int processId, string path)
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "-o", path })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return new ServerTrace(process);
    }

    /// Enter ends a collection; the file is complete when the tool exits.
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            await _process.StandardInput.WriteLineAsync();
            await _process.StandardInput.FlushAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await _process.WaitForExitAsync(wait.Token);
        }
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
