using System.Globalization;
using ScraperSky.Server.Workers;

namespace ScraperSky.Benchmarks.Load;

/// The batch over time, sampled with each read of its status: the scans running (the API's `running_jobs`, claimed and
/// not yet recorded: the worker pool's limit as it is used), the servers' share of the cores and the whole machine's
/// (/proc/stat as the worker pool reads it, <see cref="MachineCpu"/>: the fleet and any neighbour included). Printed in
/// about fifteen spans, it shows how the pool's limit ramps and where it settles against the CPU there is, which
/// `AdaptiveConcurrency` decides by.
internal sealed class RunTimeline(int cores)
{
    /// Two samples further apart than this straddle the status hammer (its CPU is not the scans'): not counted.
    private static readonly TimeSpan LongestGap = TimeSpan.FromSeconds(1);

    private readonly List<Sample> _samples = [];

    public void Add(TimeSpan at, int running, TimeSpan serverCpu) =>
        _samples.Add(new Sample(at, running, serverCpu, MachineCpu.Read()));

    public IEnumerable<string> Lines()
    {
        if (_samples.Count < 2)
        {
            yield break;
        }

        var span = TimeSpan.FromSeconds(Math.Max(1, Math.Round(_samples[^1].At.TotalSeconds / 15)));
        foreach (var group in _samples.Skip(1).Zip(_samples).GroupBy(p => (int)(p.First.At / span)))
        {
            var pairs = group.Where(p => p.First.At - p.Second.At <= LongestGap).ToList();
            if (pairs.Count == 0)
            {
                continue;
            }

            var seconds = pairs.Sum(p => (p.First.At - p.Second.At).TotalSeconds);
            var server = pairs.Sum(p => (p.First.ServerCpu - p.Second.ServerCpu).TotalSeconds) / (seconds * cores);
            var busy = pairs.Sum(p => (p.First.Machine?.Busy - p.Second.Machine?.Busy) ?? 0);
            var total = pairs.Sum(p => (p.First.Machine?.Total - p.Second.Machine?.Total) ?? 0);
            var machine = total > 0 ? (100.0 * busy / total).ToString("0", CultureInfo.InvariantCulture) : "?";
            var from = string.Create(CultureInfo.InvariantCulture, $"{group.Key * span.TotalSeconds:0}-{(group.Key + 1) * span.TotalSeconds:0} s:");
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {from,-11} running {pairs.Average(p => p.First.Running),5:0.0} (max {pairs.Max(p => p.First.Running),3}), server {100 * server,3:0}% of {cores} cores, machine {machine,3}% busy");
        }
    }

    private sealed record Sample(TimeSpan At, int Running, TimeSpan ServerCpu, MachineCpu.Sample? Machine);
}
