using BenchmarkDotNet.Running;
using ScraperSky.Benchmarks.Extraction;
using ScraperSky.Benchmarks.Hardening;
using ScraperSky.Benchmarks.Jobs;
using ScraperSky.Benchmarks.Load;
using ScraperSky.Benchmarks.Sitemaps;

if (args.Length > 0 && args[0] == SitemapLoadRun.Command)
{
    return await SitemapLoadRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == LanguageDetectionRun.Command)
{
    return LanguageDetectionRun.Run();
}

if (args.Length > 0 && args[0] == ExtractionCpuRun.Command)
{
    return ExtractionCpuRun.Run(args[1..]);
}

if (args.Length > 0 && args[0] == HostileInputRun.Command)
{
    return await HostileInputRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == ApiRun.Command)
{
    return await ApiRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == LoadRun.Command)
{
    return await LoadRun.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
