namespace ScraperSky.Cli;

/// A failure the user can act on: its message is one sentence, printed as it is, and the process ends with
/// <see cref="ExitCode"/> (a usage error unless said otherwise).
public sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; } = ExitCodes.Usage;
}
