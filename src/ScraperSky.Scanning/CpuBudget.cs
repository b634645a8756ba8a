using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ScraperSky.Scanning;

/// A budget of CPU time spent by the current thread, for synchronous work that a hostile input could make expensive
/// (parsing and extracting a page). On Linux it counts the thread's own CPU time (`CLOCK_THREAD_CPUTIME_ID`), so a
/// busy machine running many scans does not eat into it; elsewhere it counts elapsed time. It also ends when
/// <see cref="CancellationToken"/> is cancelled (the scan's deadline, a shutdown).
public sealed class CpuBudget
{
    private readonly long _startNanoseconds;
    private readonly long _limitNanoseconds;
    private int _calls;

    // The thread's CPU clock is a system call (no vDSO for it), about a microsecond each: read on every check it was
    // a tenth of an extraction. A thread cannot use more CPU time than elapses, so a check only reads it once the CPU
    // time last read plus the wall time since (a cheap monotonic clock) could exceed the limit.
    private long _usedAtMark;
    private long _markTimestamp;

    public CpuBudget(TimeSpan limit, CancellationToken cancellationToken = default)
    {
        Limit = limit;
        CancellationToken = cancellationToken;
        _limitNanoseconds = limit == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)limit.TotalNanoseconds;
        _startNanoseconds = ThreadCpuTime.Nanoseconds();
        _markTimestamp = Stopwatch.GetTimestamp();
    }

    public TimeSpan Limit { get; }

    public CancellationToken CancellationToken { get; }

    /// CPU time used since the budget was made.
    public TimeSpan Used => TimeSpan.FromTicks((ThreadCpuTime.Nanoseconds() - _startNanoseconds) / 100);

    public bool IsExhausted => CancellationToken.IsCancellationRequested || ThreadCpuTime.Nanoseconds() - _startNanoseconds > _limitNanoseconds;

    /// Throws <see cref="CpuBudgetExceededException"/> when the budget is spent or the token cancelled. Cheap enough for
    /// a hot loop: the clock is read once every <paramref name="every"/> calls.
    public void Check(int every = 1)
    {
        if (every > 1 && ++_calls % every != 0)
        {
            return;
        }

        CancellationToken.ThrowIfCancellationRequested();
        var now = Stopwatch.GetTimestamp();
        if (_usedAtMark + ElapsedNanoseconds(_markTimestamp, now) <= _limitNanoseconds)
        {
            return;
        }

        _usedAtMark = ThreadCpuTime.Nanoseconds() - _startNanoseconds;
        _markTimestamp = now;
        if (_usedAtMark > _limitNanoseconds)
        {
            throw new CpuBudgetExceededException(Limit);
        }
    }

    private static long ElapsedNanoseconds(long from, long to) =>
        (long)((to - from) * (1_000_000_000.0 / Stopwatch.Frequency));
}

/// The work ran out of its <see cref="CpuBudget"/>.
public sealed class CpuBudgetExceededException(TimeSpan limit)
    : Exception($"The work took more than its budget of {limit.TotalSeconds:0.###} s of CPU time.")
{
    public TimeSpan Limit { get; } = limit;
}

/// The current thread's CPU time (Linux), or the elapsed time where that clock is not available.
public static partial class ThreadCpuTime
{
    private const int ClockThreadCpuTimeId = 3;
    private static readonly bool Available = OperatingSystem.IsLinux() && Probe();

    public static long Nanoseconds()
    {
        if (Available && clock_gettime(ClockThreadCpuTimeId, out var time) == 0)
        {
            return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
        }

        return (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
    }

    public static TimeSpan Now() => TimeSpan.FromTicks(Nanoseconds() / 100);

    private static bool Probe()
    {
        try
        {
            return clock_gettime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int clock_gettime(int clockId, out TimeSpec time);
}
