using System.Globalization;

namespace ScraperSky.Benchmarks.Load;

/// The switches of <see cref="LoadRun"/>; anything else is an <see cref="ArgumentException"/> naming it.
internal sealed record LoadRunOptions
{
    public const string Usage =
        "usage: load-run [--domains N] [--warm-up-domains 0] [--latency-ms 100] [--provider sqlite|postgres] [--database-latency-ms 0] [--processes 1|2] [--concurrency N] [--start-concurrency N] [--hammer-seconds 2] [--trace file.nettrace] [--trace-kind threads|gc|jit] [--trace-seconds 30] [--trace-delay 0] [--server path/ScraperSky.Server.dll] [--server-env NAME=VALUE]...";

    public int Domains { get; init; } = 1000;

    /// A batch of as many other domains scanned first on the same server, then left to settle, before the measured
    /// batch: a service that has been running, its hot code compiled, rather than one just started.
    public int WarmUpDomains { get; init; }
    public int LatencyMs { get; init; } = 100;
    public bool Postgres { get; init; }
    public int Processes { get; init; } = 1;

    /// A round trip's extra time between the servers and PostgreSQL (<see cref="DelayingRelay"/>): the database on
    /// another machine.
    public int DatabaseLatencyMs { get; init; }
    public int? Concurrency { get; init; }

    /// `Jobs:StartConcurrency`: with `--concurrency` the same, the server runs that many scans whatever its CPU.
    public int? StartConcurrency { get; init; }
    /// Each of the status bursts' seconds; 0 measures no status, and the batch's pace without it.
    public int HammerSeconds { get; init; } = 2;
    public string? TracePath { get; init; }

    /// What `--trace` records: sampled thread stacks (`threads`), the runtime's GC events (`gc`, summed up by
    /// <see cref="GcPauses"/>), or its JIT's from the server's first instruction (`jit`, <see cref="JitTimeline"/>).
    public TraceKind TraceKind { get; init; }
    public int TraceSeconds { get; init; } = 30;

    /// Seconds from the submission before the trace attaches: a run of 3,000+ domains traced after its first minute
    /// shows the steady state rather than the JIT's warm-up.
    public int TraceDelaySeconds { get; init; }

    /// Another build of the server (an older commit's, say) to measure on this machine beside the current one.
    public string? ServerDll { get; init; }

    /// Variables set in the server processes' environment only (runtime knobs such as `DOTNET_TieredPGO=0`, tried on
    /// the server without changing the bench process, whose fleet shares the machine); the switch may be repeated.
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    public static LoadRunOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadRunOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--domains" => options with { Domains = Number(name, value, 1, 100_000) },
                "--warm-up-domains" => options with { WarmUpDomains = Number(name, value, 0, 100_000) },
                "--latency-ms" => options with { LatencyMs = Number(name, value, 0, 10_000) },
                "--provider" => options with { Postgres = IsPostgres(value) },
                "--processes" => options with { Processes = Number(name, value, 1, 2) },
                "--database-latency-ms" => options with { DatabaseLatencyMs = Number(name, value, 0, 1_000) },
                "--concurrency" => options with { Concurrency = Number(name, value, 1, 1024) },
                "--start-concurrency" => options with { StartConcurrency = Number(name, value, 1, 1024) },
                "--hammer-seconds" => options with { HammerSeconds = Number(name, value, 0, 60) },
                "--trace-seconds" => options with { TraceSeconds = Number(name, value, 1, 3600) },
                "--trace-delay" => options with { TraceDelaySeconds = Number(name, value, 0, 3600) },
                "--trace" => options with { TracePath = Path.GetFullPath(value) },
                "--trace-kind" => options with { TraceKind = value switch
                {
                    "threads" => TraceKind.Threads,
                    "gc" => TraceKind.Gc,
                    "jit" => TraceKind.Jit,
                    _ => throw new ArgumentException($"--trace-kind must be threads, gc or jit, not '{value}'."),
                } },
                "--server" => options with { ServerDll = ExistingFile(name, value) },
                "--server-env" => options with { ServerEnvironment = With(options.ServerEnvironment, name, value) },
                _ => throw new ArgumentException($"Unknown switch '{name}'."),
            };
        }

        if (options.DatabaseLatencyMs > 0 && !options.Postgres)
        {
            throw new ArgumentException("--database-latency-ms needs --provider postgres: SQLite is a file of the server's own.");
        }

        if (options.Processes > 1 && !options.Postgres)
        {
            throw new ArgumentException("--processes 2 needs --provider postgres: SQLite is one process's database.");
        }

        return options;
    }

    internal static bool IsPostgres(string value) => value.ToLowerInvariant() switch
    {
        "sqlite" => false,
        "postgres" => true,
        _ => throw new ArgumentException($"--provider must be sqlite or postgres, not '{value}'."),
    };

    internal static string ExistingFile(string name, string value) =>
        File.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"{name} names no file: '{value}'.");

    internal static Dictionary<string, string> With(IReadOnlyDictionary<string, string> environment, string name, string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"{name} must be NAME=VALUE, not '{value}'.");
        }

        return new Dictionary<string, string>(environment) { [value[..equals]] = value[(equals + 1)..] };
    }

    internal static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{value}'.");
}

/// What `load-run --trace` records.
internal enum TraceKind
{
    Threads,
    Gc,
    Jit,
}
