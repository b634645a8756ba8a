using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fingerprints;
using ScraperSky.Scanning.Robots;
using ScraperSky.Scanning.Sitemaps;
using ScraperSky.Scanning.Tests.Extraction;

namespace ScraperSky.Scanning.Tests.Hardening;

/// Thousands of hostile and mutated inputs through the prescan, the extractor, the sitemap parser and the robots.txt
/// parser: no exception may escape but the ones each documents, and each input must finish within a generous bound.
/// The bound is enforced the way production enforces it (the extractor's CPU budget, the sitemap reader's
/// cancellation) and checked in CPU time of the thread doing the work, so a busy machine does not fail the test.
public sealed class AdversarialInputTests
{
    private static readonly TimeSpan PageBudget = TimeSpan.FromSeconds(2);

    // What an input may cost beyond its budget: the stages between two budget checks, a garbage collection.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    private static readonly HtmlExtractor Extractor = new(FingerprintMatcher.Shipped) { PageCpuBudget = PageBudget };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Hostile_and_mutated_pages_go_through_the_prescan_and_the_extractor_within_their_budget()
    {
        var failures = new List<string>();
        var inputs = 0;
        foreach (var (name, html) in AdversarialInputs.HostileHtml().Concat(AdversarialInputs.MutatedHtml(1_200)))
        {
            Ct.ThrowIfCancellationRequested();
            inputs++;
            var started = ThreadCpuTime.Now();
            try
            {
                using (HtmlPrescan.Prepare(html.AsMemory(), new CpuBudget(PageBudget)))
                {
                }

                Extractor.Extract(FixturePages.Page(new Uri("https://fuzz.test/"), html), null, cancellationToken: Ct);
            }
            catch (ScanException e) when (e.InnerException is CpuBudgetExceededException)
            {
                // Over its budget: the documented, clean outcome.
            }
            catch (CpuBudgetExceededException)
            {
                // The prescan's own budget.
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }

            var used = ThreadCpuTime.Now() - started;
            if (used > (2 * PageBudget) + Slack)
            {
                failures.Add($"{name}: {used.TotalSeconds:0.00} s of CPU");
            }
        }

        Assert.True(inputs > 1_200);
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    [Fact]
    public async Task Hostile_and_mutated_sitemaps_are_parsed_without_an_escaping_exception()
    {
        var parser = new SitemapParser(new SitemapOptions());
        var failures = new List<string>();
        var inputs = 0;
        foreach (var (name, body) in AdversarialInputs.SitemapInputs(1_000))
        {
            Ct.ThrowIfCancellationRequested();
            inputs++;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            stop.CancelAfter(TimeSpan.FromSeconds(20));
            var started = ThreadCpuTime.Now();
            try
            {
                await using var stream = new MemoryStream(body);
                var result = await parser.ParseAsync(stream, new Uri("https://x.test/sitemap.xml"), NoUrls.Instance, 50_000, stop.Token);
                if (result.Error is { Length: > ErrorText.MaxLength })
                {
                    failures.Add($"{name}: an error of {result.Error.Length} characters");
                }

                if (result.Cancelled)
                {
                    failures.Add($"{name}: not read within 20 s");
                }
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }

            // The parse runs on this thread between awaits on a memory stream, so its CPU is counted here.
            if (ThreadCpuTime.Now() - started > TimeSpan.FromSeconds(10))
            {
                failures.Add($"{name}: more than 10 s of CPU");
            }
        }

        Assert.True(inputs > 1_000);
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    [Fact]
    public void Hostile_and_mutated_robots_files_are_parsed_and_matched_within_a_bound()
    {
        var failures = new List<string>();
        var inputs = 0;
        var paths = AdversarialInputs.RobotsPaths().ToList();
        foreach (var (name, text) in AdversarialInputs.RobotsInputs(1_000))
        {
            Ct.ThrowIfCancellationRequested();
            inputs++;
            var started = ThreadCpuTime.Now();
            try
            {
                var robots = RobotsTxt.Parse(text, new Uri("https://x.test/"));
                var rules = robots.ForAgent("ScraperSky");
                foreach (var path in paths)
                {
                    rules.IsAllowed(path);
                }
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }

            // A parse at the size limit and eight checks; generous.
            if (ThreadCpuTime.Now() - started > TimeSpan.FromSeconds(1))
            {
                failures.Add($"{name}: more than 1 s of CPU");
            }
        }

        Assert.True(inputs > 1_000);
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    private sealed class NoUrls : ISitemapUrlHandler
    {
        public static readonly NoUrls Instance = new();

        public ValueTask OnUrlAsync(SitemapUrlEntry url, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
