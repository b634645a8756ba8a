using System.Runtime.InteropServices;

namespace ScraperSky.Server.Hosting;

/// Caps glibc's malloc arenas. glibc gives a thread that meets contention an arena of its own, up to eight per core,
/// and each arena keeps the pages freed into it; SQLite, OpenSSL and the runtime's native allocations spread over a
/// dozen of them during a batch. Two arenas: peak RSS 302/291 against 311/318 MiB at 3,000 domains, CPU per domain
/// not higher (`load-run --domains 3000`, back to back). `MALLOC_ARENA_MAX` in the environment is glibc's own
/// setting and wins: it is read before this process runs any code, and we do not override a choice made there.
internal static class MallocArenas
{
    public const int Max = 2;

    // glibc's malloc.h: #define M_ARENA_MAX -8
    private const int ArenaMaxParameter = -8;

    /// Whether the cap is now in force: false off Linux, on a C library without mallopt (musl), or when the
    /// environment already chose.
    public static bool Limit(int max = Max)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
        {
            return false;
        }

        try
        {
            return Mallopt(ArenaMaxParameter, max) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// Gives the free pages inside the arenas back to the system (glibc's malloc_trim): free only returns what lies at an
    /// arena's top, above a threshold that glibc raises as large blocks come and go, so the holes that SQLite, OpenSSL
    /// and the JIT leave stay resident. Whether anything was given back; false off Linux or without glibc.
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return MallocTrim(0) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: the arguments are plain ints (nothing to marshal), and the source-generated
    // form would need unsafe code enabled for the whole server.
    [DllImport("libc", EntryPoint = "mallopt", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
