using System.Runtime.InteropServices;

namespace ScraperSky.Scanning;

/// Lowers the calling thread's scheduling priority, for threads that do background CPU work (the extraction lane) so
/// that threads answering requests win the cores from them. .NET's <see cref="Thread.Priority"/> does nothing on Linux;
/// there a thread is a task of its own with its own nice value, set here with `setpriority(PRIO_PROCESS, tid, nice)`.
/// Raising the nice value needs no privilege; it cannot be undone without one, so it is for threads that stay
/// background for good.
///
/// A thread inherits the nice value of the thread that creates it, and the runtime starts a thread-pool worker on the
/// thread that queues work when no worker is idle and the pool may grow: a lowered thread must not queue work to the
/// pool (the extraction lane hands its finished work back through a thread at normal priority).
internal static partial class BackgroundPriority
{
    /// Nice 10: under contention such a thread gets about a tenth of what a default (nice 0) thread gets (CFS weights
    /// 110 against 1024), and all of any core nothing else wants.
    public const int Nice = 10;

    private const int PrioProcess = 0;

    /// Whether the calling thread now runs at <paramref name="nice"/>: false off Linux or when the C library refuses.
    public static bool LowerCurrentThread(int nice = Nice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nice);
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return SetPriority(PrioProcess, GetTid(), nice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int GetTid();
}
