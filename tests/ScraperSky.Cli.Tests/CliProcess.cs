using System.Diagnostics;
using System.Text;

namespace ScraperSky.Cli.Tests;

/// The built `scrapersky` program run as a real process (`dotnet scrapersky.dll ...`), as a user runs it: its own
/// working directory, configuration only from the environment, standard input, output and error as pipes.
public sealed class CliProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    /// The CLI project's own build output (same configuration as these tests), which holds the server too.
    public static string Directory { get; } = FindDirectory();

    public static string Dll => Path.Combine(Directory, "scrapersky.dll");

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SCRAPERSKY_SERVER");
        start.Environment.Remove("SCRAPERSKY_API_KEY");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    public static async Task<CliResult> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, string? input, params string[] args)
    {
        using var process = new Process { StartInfo = StartInfo(workingDirectory, environment, args) };
        process.Start();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scrapersky {string.Join(' ', args)} did not end within {Limit}:\n{await error}");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    private static string FindDirectory()
    {
        // tests/ScraperSky.Cli.Tests/bin/<Configuration>/net10.0/ → src/ScraperSky.Cli/bin/<Configuration>/net10.0/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ScraperSky.slnx")))
        {
            root = root.Parent;
        }

        var directory = Path.Combine(root!.FullName, "src", "ScraperSky.Cli", "bin", configuration, framework);
        return File.Exists(Path.Combine(directory, "scrapersky.dll"))
            ? directory
            : throw new FileNotFoundException($"The CLI is not built at {directory}.");
    }
}

public sealed record CliResult(int Code, string Output, string Error)
{
    public override string ToString() => new StringBuilder()
        .Append("exit ").Append(Code).AppendLine()
        .AppendLine("stdout:").AppendLine(Output)
        .AppendLine("stderr:").AppendLine(Error).ToString();
}
