using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using ScraperSky.Scanning.Robots;

namespace ScraperSky.Benchmarks.Fetching;

/// robots.txt at the parse limit (512 KiB, ~9,000 rules with wildcards) parsed, and a URL checked against it.
[MemoryDiagnoser]
public class RobotsBenchmarks
{
    private string _content = null!;
    private RobotsRules _rules = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder("User-agent: *\n");
        for (var i = 0; builder.Length < RobotsTxt.MaxLength - 100; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"Disallow: /section-{i}/*/private*.html$\n");
            builder.Append(CultureInfo.InvariantCulture, $"Allow: /section-{i}/public/\n");
        }

        _content = builder.ToString();
        _rules = RobotsTxt.Parse(_content).ForAgent("ScraperSky");
    }

    [Benchmark]
    public RobotsTxt ParseAtTheLimit() => RobotsTxt.Parse(_content);

    [Benchmark]
    public bool CheckOneUrlAgainstEveryRule() => _rules.IsAllowed("/section-4000/a/b/c/private-page.html?x=1");
}
