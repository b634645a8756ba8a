using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ScraperSky.Cli.Commands;

namespace ScraperSky.Cli;

public static class CliApplication
{
    /// The command tree. <paramref name="settings"/> go over appsettings.json and the environment (tests use them).
    public static RootCommand Create(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var services = new CliServices(settings);
        var root = new RootCommand("ScraperSky: scan websites for who runs them, how to reach them and what they are built on.\n" +
                                   "Example: scrapersky scan example.com");
        root.Subcommands.Add(ScanCommand.Create(services));
        root.Subcommands.Add(BatchCommand.Create(services));
        root.Subcommands.Add(StatusCommand.Create(services));
        root.Subcommands.Add(DomainsCommand.Create(services));
        root.Subcommands.Add(ExportCommand.Create(services));
        root.Subcommands.Add(ChangesCommand.Create(services));
        root.Subcommands.Add(MigrateCommand.Create(services));
        root.Subcommands.Add(TenantCommands.Create(services));
        root.Subcommands.Add(KeyCommands.Create(services));
        return root;
    }

    /// Parses and runs a command line as the `scrapersky` program does: a usage error is one sentence and exit code 2,
    /// any other failure one sentence (never a stack trace), and Ctrl+C cancels the command's token so it can stop
    /// cleanly (a second Ctrl+C ends the process at once).
    public static async Task<int> RunAsync(
        string[] args, IReadOnlyDictionary<string, string?>? settings = null, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var parsed = Create(settings).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // An unknown word says more than the missing command it leaves behind.
            var first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            await error.WriteLineAsync($"{Sentence(first.Message)} See 'scrapersky {CommandPath(parsed)}--help'.");
            return ExitCodes.Usage;
        }

        using var interrupt = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            if (!interrupt.IsCancellationRequested)
            {
                context.Cancel = true;
                interrupt.Cancel();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(configuration, interrupt.Token);
        }
        catch (CliException e)
        {
            await error.WriteLineAsync(e.Message);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            await error.WriteLineAsync("Stopped.");
            return ExitCodes.Interrupted;
        }
        catch (OptionsValidationException e)
        {
            await error.WriteLineAsync($"The configuration is invalid: {e.Failures.FirstOrDefault() ?? e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is SqliteException or Npgsql.NpgsqlException or SocketException)
        {
            await error.WriteLineAsync($"The database could not be used: {Sentence(e.Message)}");
            return ExitCodes.SomeFailed;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"The server could not be reached: {Sentence(e.Message)}");
            return ExitCodes.SomeFailed;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync(Sentence(e.Message));
            return ExitCodes.SomeFailed;
        }
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result?.Parent is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }

    private static string Sentence(string message)
    {
        var trimmed = message.Trim();
        return trimmed.EndsWith('.') ? trimmed : trimmed + ".";
    }
}
