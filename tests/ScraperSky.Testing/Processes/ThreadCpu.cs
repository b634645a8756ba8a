using System.Globalization;

namespace ScraperSky.Testing.Processes;

/// The CPU each thread of a process has used, from /proc/&lt;pid&gt;/task/*/stat (Linux only), taken at one moment: two
/// snapshots give what each thread used in between, summed by what the thread does (<see cref="GroupOf"/>). The
/// process's own total is kept too, so the CPU of threads that ended in between (the runtime retires idle tiered-JIT
/// and thread-pool threads) is still counted, as "exited threads".
public sealed class ThreadCpu
{
    public const string ThreadPool = "thread-pool workers";
    public const string ExtractionLane = "extraction lane";
    public const string BackgroundGc = "background GC";
    public const string TieredJit = "tiered JIT";
    public const string Other = "other";
    public const string Exited = "exited threads";

    /// What a run prints where a process's threads cannot be read.
    public const string NotAvailable = "not available (read from /proc, Linux only)";

    private readonly Dictionary<int, ThreadTicks> _threads;
    private readonly long _processTicks;

    private ThreadCpu(Dictionary<int, ThreadTicks> threads, long processTicks)
    {
        _threads = threads;
        _processTicks = processTicks;
    }

    /// One thread's line of /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat (<see cref="ProcStat"/>): its id, its name and user
    /// plus system time in clock ticks.
    public static ThreadTicks ParseStat(string line)
    {
        var stat = ProcStat.Parse(line);
        return new ThreadTicks(stat.Id, stat.Name, stat.CpuTicks);
    }

    /// What a thread does, from the name the runtime or ScraperSky gives it (Linux keeps the first 15 bytes of it).
    public static string GroupOf(string threadName) => threadName switch
    {
        ".NET TP Worker" => ThreadPool,
        ".NET BGC" => BackgroundGc,
        ".NET Tiered Com" => TieredJit,
        _ when threadName.StartsWith("Extraction", StringComparison.Ordinal) => ExtractionLane,
        _ => Other,
    };

    /// The threads of <paramref name="processId"/> now; null where there is no /proc (not Linux) or the process ended.
    public static ThreadCpu? Read(int processId)
    {
        var pid = processId.ToString(CultureInfo.InvariantCulture);
        try
        {
            var process = ParseStat(File.ReadAllText($"/proc/{pid}/stat"));
            var threads = new Dictionary<int, ThreadTicks>();
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var thread = ParseStat(File.ReadAllText(Path.Combine(task, "stat")));
                    threads[thread.Id] = thread;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The thread ended between the listing and the read: its time is in the process's total.
                }
            }

            return new ThreadCpu(threads, process.Ticks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// From explicit figures, for tests.
    public static ThreadCpu From(IEnumerable<ThreadTicks> threads, long processTicks) =>
        new(threads.ToDictionary(t => t.Id), processTicks);

    /// What each thread group used since <paramref name="earlier"/> (a thread that started since counts from zero), and
    /// the process's CPU that no live thread accounts for as <see cref="Exited"/>; largest first.
    public IReadOnlyList<ThreadGroupCpu> Since(ThreadCpu earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var groups = new Dictionary<string, (long Ticks, int Threads)>(StringComparer.Ordinal);
        long counted = 0;
        foreach (var thread in _threads.Values)
        {
            var used = thread.Ticks - (earlier._threads.TryGetValue(thread.Id, out var before) ? before.Ticks : 0);
            var group = GroupOf(thread.Name);
            var (ticks, count) = groups.GetValueOrDefault(group);
            groups[group] = (ticks + used, count + 1);
            counted += used;
        }

        // A thread that ended took its ticks out of the listing, not out of the process's total.
        var exited = _processTicks - earlier._processTicks - counted;
        if (exited > 0)
        {
            groups[Exited] = (exited, 0);
        }

        return [.. groups
            .Select(g => new ThreadGroupCpu(g.Key, ProcStat.ToTime(g.Value.Ticks), g.Value.Threads))
            .OrderByDescending(g => g.Cpu).ThenBy(g => g.Group, StringComparer.Ordinal)];
    }
}

/// One thread's id, name and CPU (user plus system) in clock ticks.
public sealed record ThreadTicks(int Id, string Name, long Ticks);

/// The CPU a group of threads used, and how many live threads it had.
public sealed record ThreadGroupCpu(string Group, TimeSpan Cpu, int Threads)
{
    /// Several intervals or processes together: CPU added up per group, the most threads any of them had; largest first.
    public static IReadOnlyList<ThreadGroupCpu> Sum(IEnumerable<IReadOnlyList<ThreadGroupCpu>> parts) =>
        [.. parts.SelectMany(p => p).GroupBy(g => g.Group, StringComparer.Ordinal)
            .Select(g => new ThreadGroupCpu(g.Key, g.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Cpu), g.Max(p => p.Threads)))
            .OrderByDescending(g => g.Cpu).ThenBy(g => g.Group, StringComparer.Ordinal)];
}
