using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using ScraperSky.Scanning;

namespace ScraperSky.Benchmarks.Extraction;

/// `extraction-cpu [rounds] [method name part]`: the thread CPU time per page of every extraction benchmark and stage, the same methods
/// BenchmarkDotNet runs, called in turn for several rounds. On a machine shared with other builds, wall-clock means
/// measure the neighbours as much as the code; the thread's own CPU time much less so, and the rounds interleave the
/// methods so a change in load reaches them all alike. Prints the median round per method and the bytes it allocates
/// per page. A name part that ends in `$` names one method whole (`ExtractionBenchmarks.ShippedRules$`), so a profiler
/// sees that method alone rather than every method whose name starts the same.
///
/// `extraction-cpu cold [rounds]`: the same thread CPU per page of each of the first rounds of
/// <see cref="ExtractionBenchmarks.ShippedRules"/> in a fresh process, nothing extracted before: what a server's first
/// pages cost while the extraction's methods still run unoptimised (tier 0, on-stack replacement).
internal static class ExtractionCpuRun
{
    public const string Command = "extraction-cpu";

    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "cold")
        {
            return RunCold(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10);
        }

        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var only = args.Length > 1 ? args[1] : string.Empty;
        var whole = only.EndsWith('$');
        only = only.TrimEnd('$');
        var targets = new object[] { new ExtractionBenchmarks(), new ExtractionStageBenchmarks(), new FingerprintBenchmarks(), new ContactPageSelectorBenchmarks(), new SiteResultBenchmarks(), new Sitemaps.SitemapLinksBenchmarks() };
        var methods = new List<(object Target, MethodInfo Method, int Pages)>();
        foreach (var target in targets)
        {
            target.GetType().GetMethod("Setup")!.Invoke(target, null);
            foreach (var method in target.GetType().GetMethods())
            {
                var name = target.GetType().Name + "." + method.Name;
                if (method.GetCustomAttribute<BenchmarkAttribute>() is { } benchmark
                    && (whole ? name.EndsWith(only, StringComparison.OrdinalIgnoreCase) : name.Contains(only, StringComparison.OrdinalIgnoreCase)))
                {
                    methods.Add((target, method, benchmark.OperationsPerInvoke));
                }
            }
        }

        var times = methods.Select(_ => new List<double>()).ToList();

        // Bytes allocated per page, the same in every round: unlike CPU time, not moved by the machine's load.
        var allocated = new double[methods.Count];

        // Exceptions thrown and caught inside a stage (libphonenumber's NumberParseException) cost tens of microseconds
        // each under load, and a CPU time per page hides how many there are.
        var exceptions = new long[methods.Count];
        var current = -1;
        AppDomain.CurrentDomain.FirstChanceException += (_, _) =>
        {
            if (current >= 0)
            {
                exceptions[current]++;
            }
        };
        for (var round = -1; round < rounds; round++)
        {
            for (var m = 0; m < methods.Count; m++)
            {
                var (target, method, pages) = methods[m];
                current = round >= 0 ? m : -1;
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var start = ThreadCpuTime.Nanoseconds();
                method.Invoke(target, null);
                var perPage = (ThreadCpuTime.Nanoseconds() - start) / 1e6 / pages;
                current = -1;
                if (round >= 0)
                {
                    times[m].Add(perPage);
                    allocated[m] = (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)pages;
                }
            }
        }

        for (var m = 0; m < methods.Count; m++)
        {
            var sorted = times[m].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{methods[m].Method.DeclaringType!.Name}.{methods[m].Method.Name}: {sorted[sorted.Count / 2]:F3} ms CPU per page (min {sorted[0]:F3}), {allocated[m] / 1024:F0} KB allocated per page, {exceptions[m] / (double)(rounds * methods[m].Pages):F1} exceptions per page"));
        }

        return 0;
    }

    private static int RunCold(int rounds)
    {
        var benchmarks = new ExtractionBenchmarks();
        benchmarks.Setup();
        for (var round = 1; round <= rounds; round++)
        {
            var start = ThreadCpuTime.Nanoseconds();
            benchmarks.ShippedRules();
            var perPage = (ThreadCpuTime.Nanoseconds() - start) / 1e6 / ExtractionBenchmarks.Pages;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: {perPage:F3} ms CPU per page"));
        }

        return 0;
    }
}
