using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace ScraperSky.Benchmarks.Load;

/// What the JIT compiled in the first server process while `load-run --trace-kind jit` ran: the runtime's JIT events
/// from the process's first instruction (EventPipe to a file, set in the server's environment: attaching later would
/// miss the start), counted before the submission and second by second through the batch, by tier: tier 0 (quick, on
/// the calling thread), tier 1 (the tiering thread's optimised recompilation of hot code) and optimised at once (mostly
/// dynamic methods: EF Core's compiled shapers, the DI container's emitted resolvers, compiled regexes); then the
/// namespaces most compiled at tier 0 during the batch and at tier 1. The server is stopped by a kill, so the file ends
/// wherever the runtime last wrote it: what it holds is read.
internal static class JitTimeline
{
    /// The server's environment for the trace: JIT events (keyword 0x10) at verbose level, which carries the tier.
    public static IReadOnlyDictionary<string, string> Environment(string path) => new Dictionary<string, string>
    {
        ["DOTNET_EnableEventPipe"] = "1",
        ["DOTNET_EventPipeOutputPath"] = path,
        ["DOTNET_EventPipeConfig"] = "Microsoft-Windows-DotNETRuntime:0x10:5",
    };

    public static IEnumerable<string> Summarize(string path, DateTime submittedUtc, DateTime endedUtc)
    {
        var methods = new List<(DateTime At, string Tier, string Namespace)>();
        var truncated = false;
        using (var source = new EventPipeEventSource(path))
        {
            var clr = new ClrTraceEventParser(source);
            clr.MethodLoadVerbose += e => methods.Add((e.TimeStamp.ToUniversalTime(), TierOf(e), e.MethodNamespace ?? ""));
            try
            {
                source.Process();
            }
            catch (FormatException)
            {
                truncated = true; // the file as far as the runtime wrote it before the kill
            }
        }

        yield return $"JIT (EventPipe from the server's start{(truncated ? ", to where the file ends" : "")}): {methods.Count} methods compiled";
        var before = methods.Where(m => m.At < submittedUtc).ToList();
        yield return $"  before the submission: tier 0 {Count(before, Tier0)}, tier 1 {Count(before, Tier1)}, optimised at once {Count(before, Optimised)}";
        yield return "  second of the batch:  tier 0 / tier 1 / optimised at once";
        var seconds = (int)Math.Ceiling((endedUtc - submittedUtc).TotalSeconds);
        for (var second = 0; second < seconds; second++)
        {
            var from = submittedUtc.AddSeconds(second);
            var slice = methods.Where(m => m.At >= from && m.At < from.AddSeconds(1)).ToList();
            yield return string.Create(CultureInfo.InvariantCulture, $"  {second,4}-{second + 1} s:     {Count(slice, Tier0),6} / {Count(slice, Tier1),6} / {Count(slice, Optimised),6}");
        }

        var batch = methods.Where(m => m.At >= submittedUtc && m.At < endedUtc).ToList();
        yield return $"  tier 0 in the batch by namespace: {Top(batch, Tier0)}";
        yield return $"  tier 1 in the batch by namespace: {Top(batch, Tier1)}";
        yield return $"  optimised at once in the batch:   {Top(batch, Optimised)}";
    }

    private const string Tier0 = "tier 0";
    private const string Tier1 = "tier 1";
    private const string Optimised = "optimised";

    private static string TierOf(MethodLoadUnloadVerboseTraceData e) => e.OptimizationTier switch
    {
        OptimizationTier.QuickJitted or OptimizationTier.MinOptJitted => Tier0,
        OptimizationTier.OptimizedTier1 or OptimizationTier.OptimizedTier1OSR => Tier1,
        OptimizationTier.Optimized => Optimised,
        var other => other.ToString(),
    };

    private static int Count(List<(DateTime At, string Tier, string Namespace)> methods, string tier) =>
        methods.Count(m => m.Tier == tier);

    // The ten namespaces (first three parts, generic arguments left out) with the most methods of a tier.
    private static string Top(List<(DateTime At, string Tier, string Namespace)> methods, string tier) =>
        string.Join(", ", methods.Where(m => m.Tier == tier)
            .GroupBy(m => string.Join('.', m.Namespace.Split('[', '`')[0].Split('.').Take(3)), StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(10)
            .Select(g => $"{g.Key} {g.Count()}"));
}
