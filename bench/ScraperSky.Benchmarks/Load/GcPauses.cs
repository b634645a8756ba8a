using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace ScraperSky.Benchmarks.Load;

/// What the GC cost the server while `load-run --trace-kind gc` traced it: the share of the wall time the runtime was
/// stopped (from each suspension's start to the restart's end), the collections by generation and kind with their mean
/// pause, and what the young collections kept (bytes promoted, and by which roots they were reached: a scan's state that
/// lives across collections shows as "older generation").
internal static class GcPauses
{
    // The runtime's GC root kinds (GCMarkWithType's Type).
    private static readonly string[] RootKinds =
        ["stack", "finalizer queue", "handles", "older generation", "sized refs", "mark overflow", "dependent handles", "new finalizer queue", "steal", "background GC"];

    public static IEnumerable<string> Summarize(string path)
    {
        using var source = new EventPipeEventSource(path);
        var clr = new ClrTraceEventParser(source);
        double first = -1, last = 0, suspendStart = -1, gcStart = -1, pausedMs = 0;
        var pauses = 0;
        (int Depth, string Kind)? current = null;
        var collections = new List<(int Depth, string Kind)>();
        var byKind = new SortedDictionary<string, (int Count, double PauseMs)>(StringComparer.Ordinal);
        var promoted = new Dictionary<int, long>();
        var marked = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long promotedFromGen0 = 0;
        var young = 0;

        clr.GCSuspendEEStart += e =>
        {
            suspendStart = e.TimeStampRelativeMSec;
            first = first < 0 ? suspendStart : first;
        };
        clr.GCStart += e =>
        {
            gcStart = e.TimeStampRelativeMSec;
            current = (e.Depth, e.Type.ToString());
        };
        clr.GCStop += _ =>
        {
            if (current is { Kind: not nameof(GCType.BackgroundGC) } foreground && gcStart >= 0)
            {
                collections.Add(foreground);
            }

            gcStart = -1;
        };
        clr.GCMarkWithType += e =>
        {
            if (current is { Depth: 0 } && e.Type < RootKinds.Length)
            {
                marked[RootKinds[e.Type]] = marked.GetValueOrDefault(RootKinds[e.Type]) + e.Promoted;
            }
        };
        clr.GCHeapStats += e =>
        {
            if (current is { Depth: 0, Kind: not nameof(GCType.BackgroundGC) })
            {
                promotedFromGen0 += e.TotalPromotedSize0;
                young++;
            }
        };
        clr.GCRestartEEStop += e =>
        {
            if (suspendStart < 0)
            {
                return;
            }

            var pause = e.TimeStampRelativeMSec - suspendStart;
            pausedMs += pause;
            pauses++;
            last = e.TimeStampRelativeMSec;
            foreach (var (depth, kind) in collections)
            {
                var key = $"gen{depth.ToString(CultureInfo.InvariantCulture)} {kind}";
                var (count, total) = byKind.GetValueOrDefault(key);
                byKind[key] = (count + 1, total + pause);
            }

            collections.Clear();
            suspendStart = -1;
        };
        source.Process();

        var span = last - first;
        if (pauses == 0 || span <= 0)
        {
            yield return "GC:                   no collection in the trace";
            yield break;
        }

        yield return $"GC pauses:            {100 * pausedMs / span:0.0}% of {span / 1000:0.0} s traced ({pauses} pauses, {pausedMs:0} ms)";
        foreach (var (kind, (count, total)) in byKind)
        {
            yield return $"  {kind + ":",-22}{count} collections, mean pause {total / count:0.00} ms";
        }

        if (young > 0)
        {
            yield return $"  promoted from gen0:  {promotedFromGen0 / young / 1024.0:0} KB per gen0 collection; reached from "
                + string.Join(", ", marked.Where(m => m.Value > 0).OrderByDescending(m => m.Value).Select(m => $"{m.Key} {m.Value / young / 1024.0:0} KB"));
        }
    }
}
