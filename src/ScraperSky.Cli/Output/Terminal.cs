using Spectre.Console;

namespace ScraperSky.Cli.Output;

/// Where the output goes: progress bars, tables and colour only when the stream is a terminal (a pipe or a file
/// gets plain lines), and no colour at all when `NO_COLOR` is set (https://no-color.org).
public static class Terminal
{
    public static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// True when <paramref name="writer"/> is this process's own standard error or output and that is a terminal;
    /// a writer handed in by a test is never one.
    public static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected)
        || (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected);

    /// A Spectre console drawing on <paramref name="writer"/>, which must be a terminal.
    public static IAnsiConsole For(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = AnsiSupport.Yes,
        Interactive = InteractionSupport.Yes,
        ColorSystem = NoColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
    });
}
