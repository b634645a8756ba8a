using System.Diagnostics;
using System.Globalization;

namespace ScraperSky.Benchmarks.Load;

/// `dotnet-trace collect` (a .NET global tool: `dotnet tool install -g dotnet-trace`) attached to the first server
/// process for a fixed time (`--trace-seconds`, 30 by default), from the submission or `--trace-delay` seconds after it,
/// sampling thread stacks (read the file with `dotnet-trace report <file> topN -n 40`, exclusive, or `--inclusive`), or
/// recording the runtime's GC events (`--trace-kind gc`, summed up by <see cref="GcPauses"/>).
internal sealed class ServerTrace : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task<Process?> _process;

    private ServerTrace(int processId, string path, bool gc, TimeSpan delay, TimeSpan duration) =>
        _process = StartAfterAsync(processId, path, gc, delay, duration, _cancel.Token);

    public static ServerTrace Start(int processId, string path, bool gc, TimeSpan delay, TimeSpan duration) =>
        new(processId, path, gc, delay, duration);

    /// The file is complete when the tool exits, at the end of its duration. A batch that ended before the delay was
    /// up is not traced at all.
    public async Task StopAsync()
    {
        if (!_process.IsCompleted)
        {
            await _cancel.CancelAsync();
            Console.Error.WriteLine("load-run: the batch ended before --trace-delay was up; no trace was taken.");
        }

        if (await _process is { } process)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(wait.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        if (await _process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        _cancel.Dispose();
    }

    private static async Task<Process?> StartAfterAsync(int processId, string path, bool gc, TimeSpan delay, TimeSpan duration, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The GC keyword at the informational level: collections, suspensions, heap statistics, marking by root.
        string[] what = gc ? ["--providers", "Microsoft-Windows-DotNETRuntime:0x1:4"] : ["--profile", "dotnet-sampled-thread-time"];
        foreach (var argument in (string[])["collect", "-p", processId.ToString(CultureInfo.InvariantCulture), .. what, "-o", path, "--duration", duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }
}
