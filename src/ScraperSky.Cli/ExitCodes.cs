namespace ScraperSky.Cli;

/// What the process tells its caller: scripts branch on these.
public static class ExitCodes
{
    public const int Success = 0;

    /// Everything ran, but some domains failed.
    public const int SomeFailed = 1;

    /// A bad argument, an unknown id or tenant, a missing or unreadable file: nothing was done.
    public const int Usage = 2;

    /// Stopped by Ctrl+C (128 + SIGINT, as shells report it).
    public const int Interrupted = 130;
}
