using System.Diagnostics;

namespace ScraperSky.Cli.Tests;

/// On a terminal `batch` draws a live progress bar: the program runs in a pseudo-terminal made by util-linux's
/// `script`, which records what the terminal was sent.
public sealed class TerminalTests(FleetFixture fixture) : IClassFixture<FleetFixture>, IAsyncLifetime
{
    private readonly CliWorkspace _workspace = new(fixture.Fleet);

    [Fact]
    public async Task Batch_in_a_terminal_draws_a_progress_bar_and_no_plain_progress_lines()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var input = _workspace.PathOf("sites.csv");
        await File.WriteAllLinesAsync(input, ["domain", .. Enumerable.Range(1, 4).Select(i => $"tty-{i}.delay300.gen.test")], cancellationToken);
        var command = $"'{CliProcess.Dotnet}' '{CliProcess.Dll}' batch '{input}' --out '{_workspace.PathOf("out.csv")}' --concurrency 2";
        var start = new ProcessStartInfo("script") { WorkingDirectory = _workspace.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-qfec", command, "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _workspace.Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment.Remove("NO_COLOR");
        start.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(start)!;
        var screen = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);

        Assert.True(process.ExitCode == 0, screen);
        Assert.Contains("━", screen, StringComparison.Ordinal);
        Assert.Contains("4 done, 0 failed, 4 total", screen, StringComparison.Ordinal);
        Assert.Contains("100%", screen, StringComparison.Ordinal);
        Assert.Contains("\u001b[", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("progress: ", screen, StringComparison.Ordinal);
        Assert.True(File.Exists(_workspace.PathOf("out.csv")));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();
}
