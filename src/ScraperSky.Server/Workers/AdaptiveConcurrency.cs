namespace ScraperSky.Server.Workers;

/// How many scans the worker pool runs at once. Scans mostly wait on distant servers, so the right number depends on
/// their latency: the pool starts at `Jobs:StartConcurrency` (32; or `Jobs:Concurrency` when lower) and, while every
/// slot is taken and the process and the machine both use less than <see cref="GrowBelow"/> of the cores, adds a
/// quarter more, up to `Jobs:Concurrency` — or doubles while both use less than <see cref="DoubleBelow"/>, so a batch
/// reaches its pace within seconds rather than spending a short batch's life at the start; when either uses more than
/// <see cref="ShrinkAbove"/>, it gives an eighth back, never below where it started. Memory grows with the limit until
/// the pages in flight fill their budget (`Scanning:PagesInFlightBytes`), which bounds them: 48 scans held 30-45 MiB
/// more than 32 at the peak (load-run, 3,000 domains). Both shares are read every <see cref="Period"/>: the process's
/// from its own CPU time, the machine's from /proc/stat (<see cref="MachineCpu"/>) — a process starved by its
/// neighbours is not waiting on latency, and more scans at once would only hold more pages in memory. Time the JIT spent
/// compiling (<see cref="System.Runtime.JitInfo.GetCompilationTime"/>) counts as idle in both: a fresh process compiles
/// its code for the first ten seconds or so of a batch, 30-60% of its CPU, and held the pool at its start through a
/// whole 1,000-domain batch, though compiling ends and the scans cost half as much after it. It grows only while neither
/// share, compiling included, is over <see cref="ShrinkAbove"/>: without that the pool reached 125 scans in a
/// 10,000-domain batch's first seconds and peak RSS 302 MiB.
internal sealed class AdaptiveConcurrency
{
    public const double GrowBelow = 0.70;
    public const double DoubleBelow = 0.35;
    public const double ShrinkAbove = 0.90;
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly int _floor;
    private readonly int _ceiling;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _cpuTime;
    private readonly Func<TimeSpan> _compilingTime;
    private readonly Func<MachineCpu.Sample?> _machine;
    private MachineCpu.Sample? _machineAtMeasure;
    private readonly int _cores;
    private long _measuredAt;
    private TimeSpan _cpuAtMeasure;
    private TimeSpan _compilingAtMeasure;
    private bool _saturated;

    public AdaptiveConcurrency(
        int start, int ceiling, TimeProvider time, Func<TimeSpan> cpuTime, Func<MachineCpu.Sample?> machine, int cores, Func<TimeSpan> compilingTime)
    {
        _compilingTime = compilingTime;
        _compilingAtMeasure = compilingTime();
        _machine = machine;
        _machineAtMeasure = machine();
        _ceiling = Math.Max(1, ceiling);
        _floor = Math.Clamp(start, 1, _ceiling);
        _time = time;
        _cpuTime = cpuTime;
        _cores = Math.Max(1, cores);
        Limit = _floor;
        _measuredAt = time.GetTimestamp();
        _cpuAtMeasure = cpuTime();
    }

    public int Limit { get; private set; }

    /// Notes that every slot was taken (work was waiting for one) since the last adjustment.
    public void NoteSaturated() => _saturated = true;

    /// Adjusts <see cref="Limit"/> once a period has passed; returns it.
    public int Adjust()
    {
        var elapsed = _time.GetElapsedTime(_measuredAt);
        if (elapsed < Period || _floor == _ceiling)
        {
            return Limit;
        }

        var cpu = _cpuTime();
        var compiling = _compilingTime();
        var used = cpu - _cpuAtMeasure;
        // The JIT's time is wall time on its threads: counted as at most the CPU the process used.
        var compiled = compiling - _compilingAtMeasure;
        var compilingShare = (compiled <= TimeSpan.Zero ? TimeSpan.Zero : compiled < used ? compiled : used) / (elapsed * _cores);
        var share = used / (elapsed * _cores);
        var machine = _machine();
        var machineShare = MachineCpu.BusyShare(_machineAtMeasure, machine) ?? share;
        // What the scans themselves take, compiling left out: the shares that decide growth.
        var scanning = Math.Max(share, machineShare) - compilingShare;
        if (scanning < GrowBelow && _saturated && share <= ShrinkAbove && machineShare <= ShrinkAbove)
        {
            var step = scanning < DoubleBelow ? Limit : Math.Max(1, Limit / 4);
            Limit = Math.Min(_ceiling, Limit + step);
        }
        else if (share > ShrinkAbove || machineShare > ShrinkAbove)
        {
            Limit = Math.Max(_floor, Limit - Math.Max(1, Limit / 8));
        }

        _measuredAt = _time.GetTimestamp();
        _cpuAtMeasure = cpu;
        _compilingAtMeasure = compiling;
        _machineAtMeasure = machine;
        _saturated = false;
        return Limit;
    }
}
