using System.Diagnostics;
using System.Text.RegularExpressions;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Tests.Fingerprints;

/// A pattern's result does not depend on how busy the machine is: a match the backtracking engine runs out of time for
/// is answered by the non-backtracking engine (linear in the input), so a starved thread loses no match and a
/// catastrophic pattern on a hostile page still ends fast, with the match that is there.
public sealed class PatternTimeoutTests
{
    // (x+x+)+y backtracks exponentially over a run of x's without a y after it: far beyond any timeout at 48.
    private static readonly string Hostile = new string('x', 48) + " then xxy7 at the end";

    [Fact]
    public void A_catastrophic_pattern_on_a_hostile_input_ends_fast_with_the_match_that_is_there()
    {
        var pattern = FingerprintPattern.Parse("""(x+x+)+y(\d)\;version:\2""");

        foreach (var input in new[] { Hostile.AsMemory(), Hostile.ToCharArray().AsMemory() })
        {
            var clock = Stopwatch.StartNew();
            var found = pattern.TryMatch(input, out var version, out var matched);

            Assert.True(found);
            Assert.Equal("7", version);
            Assert.Equal("xxy7", input[matched].ToString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed} for one match");
        }
    }

    [Fact]
    public void A_catastrophic_pattern_without_a_match_ends_fast_with_a_miss()
    {
        var pattern = FingerprintPattern.Parse("""(x+x+)+y""");
        var clock = Stopwatch.StartNew();

        Assert.False(pattern.TryMatch(new string('x', 48).AsMemory(), out _, out _));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed} for one match");
    }

    /// A look-ahead is beyond the linear engine: such a pattern (only in a user's dataset) gets a second, longer try
    /// with the backtracking engine and then misses, in bounded time.
    [Fact]
    public void A_catastrophic_pattern_the_linear_engine_cannot_run_misses_in_bounded_time()
    {
        var pattern = FingerprintPattern.Parse("""(?=x)(x+x+)+y""");
        var clock = Stopwatch.StartNew();

        Assert.False(pattern.TryMatch(Hostile.AsMemory(), out _, out _));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{clock.Elapsed} for one match");
    }

    /// The fallback is only as good as its agreement: every shipped pattern finds the same match, place and version
    /// with either engine on every fixture's page, URL and header values.
    [Fact]
    public void Every_shipped_pattern_matches_alike_with_either_engine_on_every_fixture()
    {
        var inputs = FingerprintFixtures.All.Values
            .SelectMany(t => t.Detect.Concat(t.Miss))
            .SelectMany(c => new[] { c.Html, c.Url }.Concat(c.Headers?.Values ?? Enumerable.Empty<string>()))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var patterns = FingerprintCatalog.Shipped.Rules
            .SelectMany(r => r.Html.Concat(r.ScriptSrc).Concat(r.Scripts).Concat(r.Url)
                .Concat(r.Meta.Select(m => m.Value)).Concat(r.Headers.Select(h => h.Value)).Concat(r.Cookies.Select(c => c.Value))
                .Concat(r.Dom.SelectMany(d => d.Attributes.Select(a => a.Value).Append(d.Text)).OfType<FingerprintPattern>()))
            .Where(p => p.Source.Length > 0)
            .ToList();
        const RegexOptions options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        var matches = 0;
        foreach (var pattern in patterns)
        {
            var backtracking = new Regex(pattern.Source, options);
            var linear = new Regex(pattern.Source, options | RegexOptions.NonBacktracking);
            foreach (var input in inputs)
            {
                var expected = backtracking.Match(input);
                var actual = linear.Match(input);
                Assert.Equal((expected.Success, expected.Index, expected.Length), (actual.Success, actual.Index, actual.Length));
                if (expected.Success && pattern.VersionTemplate is { } template)
                {
                    Assert.Equal(FingerprintPattern.FillVersion(template, expected), FingerprintPattern.FillVersion(template, actual));
                }

                matches += expected.Success ? 1 : 0;
            }
        }

        Assert.True(matches > 200, $"{matches} matches");
    }
}
