using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Robots;
using ScraperSky.Scanning.Sitemaps;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Scanning.Tests.Sitemaps;

public sealed class SitemapCollectorTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(SitemapSummary Summary, RecordingSink Sink)> CollectAsync(
        string domain, IReadOnlyList<Uri>? homepageLinks = null, Dictionary<string, string?>? settings = null)
    {
        using var services = fixture.CreateServices(settings);
        var sink = new RecordingSink();
        var summary = await services.GetRequiredService<SitemapCollector>().CollectAsync(
            domain, services.GetRequiredService<RobotsPolicy>(), homepageLinks ?? [], sink, Ct);
        Assert.Same(summary, sink.Completed);
        return (summary, sink);
    }

    [Fact]
    public async Task Well_known_index_of_indexes_is_read_with_gzip_told_by_content_not_name()
    {
        var (summary, sink) = await CollectAsync("sm-wp.test");

        Assert.Equal(6, summary.Files);
        Assert.Equal(7, summary.Urls);
        Assert.Equal(["well_known", "index"], summary.DiscoveryMethods);
        Assert.Empty(summary.Errors);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 18, 0, 0, TimeSpan.Zero), summary.NewestLastmod);

        var index = sink.File("/sitemap_index.xml");
        Assert.Equal((SitemapKind.Index, SitemapDiscovery.WellKnown, (Guid?)null), (index.Kind, index.Discovery, index.ParentId));
        var gzipNamedXml = sink.File("/page-sitemap.xml");
        Assert.True(gzipNamedXml.Gzipped);
        Assert.Equal(SitemapKind.UrlSet, gzipNamedXml.Kind);
        Assert.Equal(index.Id, gzipNamedXml.ParentId);
        Assert.Equal(SitemapDiscovery.Index, gzipNamedXml.Discovery);
        var xmlNamedGz = sink.File("/archive.xml.gz");
        Assert.False(xmlNamedGz.Gzipped);
        Assert.Equal(1, xmlNamedGz.UrlCount);
        var deep = sink.File("/deep-sitemap.xml");
        Assert.Equal(sink.File("/nested-index.xml").Id, deep.ParentId);
        Assert.Equal(2, Assert.Single(sink.Urls[deep.Id]).Alternates);
        Assert.Equal(1, sink.Urls[sink.File("/post-sitemap.xml").Id].Single(u => u.Loc.EndsWith("/hello-world/", StringComparison.Ordinal)).Images);

        // "/" is listed by two files and stored once; /sitemap.xml redirects to the index and is not read again.
        Assert.Equal(7, sink.AllLocs.Count());
        Assert.Equal(7, sink.Files.Sum(f => f.UrlCount));
        Assert.DoesNotContain(sink.Files, f => f.Url.AbsolutePath == "/sitemap.xml");
        Assert.All(sink.Files, f => Assert.Equal(200, f.HttpStatus));
    }

    /// A batch collects one domain's sitemaps per scan: a line for each at the default level was a console write per
    /// domain, formatted on the thread pool. What a collection found is in the scan's result.
    [Fact]
    public async Task A_collection_writes_no_line_at_the_default_level_and_one_at_debug()
    {
        foreach (var (level, expected) in new[] { (LogLevel.Information, 0), (LogLevel.Debug, 1) })
        {
            var lines = new RecordingLoggerProvider();
            using var services = fixture.CreateServices(replace: s => s.AddLogging(b => b.AddProvider(lines).SetMinimumLevel(level)));

            var summary = await services.GetRequiredService<SitemapCollector>().CollectAsync(
                "sm-wp.test", services.GetRequiredService<RobotsPolicy>(), [], new RecordingSink(), Ct);

            Assert.Equal(6, summary.Files);
            Assert.Equal(expected, lines.Messages.Count(m => m.StartsWith("Sitemaps of sm-wp.test:", StringComparison.Ordinal)));
        }
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider, ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IEnumerable<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _messages.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Robots_lines_and_the_homepage_link_find_text_rss_atom_and_misnamespaced_files()
    {
        using var services = fixture.CreateServices();
        var homepage = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("https://sm-robots.test/"), Ct);
        var links = SitemapLinks.Find(homepage.Html.Span, homepage.FinalUrl);

        var (summary, sink) = await CollectAsync("sm-robots.test", links);

        Assert.Equal("/from-homepage.xml", Assert.Single(links).AbsolutePath);
        Assert.Equal(4, summary.Files);
        Assert.Equal(["robots", "homepage_link"], summary.DiscoveryMethods);
        Assert.Equal(
            ["/from-homepage/", "/log/c", "/news/a", "/news/b", "/t/one", "/t/three", "/t/two"],
            sink.AllLocs.Select(l => new Uri(l).AbsolutePath).Order(StringComparer.Ordinal));
        Assert.Equal(7, summary.Urls);
        Assert.Equal(SitemapKind.Text, sink.File("/feeds/sitemap.txt").Kind);
        Assert.Equal(SitemapKind.Rss, sink.File("/feed.rss").Kind);
        Assert.Equal(SitemapKind.Atom, sink.File("/atom.xml").Kind);
        Assert.Equal(SitemapKind.UrlSet, sink.File("/from-homepage.xml").Kind);
        Assert.Equal(SitemapDiscovery.HomepageLink, sink.File("/from-homepage.xml").Discovery);
        var missing = sink.File("/missing.xml");
        Assert.Equal(404, missing.HttpStatus);
        Assert.Equal("HTTP 404.", missing.Error);
        Assert.Contains(summary.Errors, e => e.Contains("missing.xml: HTTP 404", StringComparison.Ordinal));
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero), summary.NewestLastmod);
    }

    [Fact]
    public async Task An_index_cycle_and_a_self_reference_are_reported_and_every_file_is_read_once()
    {
        var (summary, sink) = await CollectAsync("sm-cycle.test");

        Assert.Equal(["/a.xml", "/b.xml", "/leaf.xml", "/sitemap_index.xml"], sink.Files.Select(f => f.Url.AbsolutePath).Order(StringComparer.Ordinal));
        Assert.Equal(1, summary.Urls);
        Assert.Contains(summary.Errors, e => e.Contains("a.xml: the index lists itself", StringComparison.Ordinal));
        Assert.Contains(summary.Errors, e => e.Contains("b.xml: lists http://sm-cycle.test/sitemap_index.xml, an index above it (a cycle)", StringComparison.Ordinal));
        Assert.Equal(2, summary.Errors.Count);
    }

    [Fact]
    public async Task A_file_cut_off_inside_a_url_keeps_the_urls_before_it_and_is_marked_truncated()
    {
        var (summary, sink) = await CollectAsync("sm-truncated.test");

        var file = Assert.Single(sink.Files);
        Assert.True(file.Truncated);
        Assert.Equal(2, file.UrlCount);
        Assert.Equal(["https://sm-truncated.test/1", "https://sm-truncated.test/2"], sink.AllLocs);
        Assert.Equal(1, summary.TruncatedFiles);
        Assert.Single(summary.Errors);
    }

    [Fact]
    public async Task Entity_bombs_and_a_page_that_is_not_a_sitemap_fail_alone()
    {
        var (summary, sink) = await CollectAsync("sm-traps.test");

        Assert.Equal(4, summary.Files);
        Assert.Equal(["https://sm-traps.test/fine"], sink.AllLocs);
        Assert.Contains("DTD", sink.File("/entity.xml").Error, StringComparison.Ordinal);
        Assert.Contains("DTD", sink.File("/external-entity.xml").Error, StringComparison.Ordinal);
        Assert.Contains("Not a sitemap", sink.File("/not-a-sitemap.xml").Error, StringComparison.Ordinal);
        Assert.Null(sink.File("/ok.xml").Error);
        Assert.Equal(3, summary.Errors.Count);
    }

    [Fact]
    public async Task A_gzip_bomb_stops_at_the_uncompressed_cap_and_gzip_inside_transport_gzip_is_read()
    {
        var (summary, sink) = await CollectAsync("sm-bomb.test");

        var bomb = sink.File("/sitemap.xml.gz");
        Assert.True(bomb.Truncated);
        Assert.True(bomb.Gzipped);
        Assert.Equal(50L * 1024 * 1024, bomb.Bytes);
        Assert.Contains("larger than 52428800 bytes", bomb.Error, StringComparison.Ordinal);
        Assert.Equal(["https://sm-bomb.test/before-the-padding"], sink.Urls[bomb.Id].Select(u => u.Loc));
        var nested = sink.File("/nested.xml");
        Assert.True(nested.Gzipped);
        Assert.Equal(["https://sm-bomb.test/nested-page"], sink.Urls[nested.Id].Select(u => u.Loc));
        Assert.Equal(2, summary.Urls);
    }

    [Fact]
    public async Task A_file_of_50001_urls_keeps_the_first_50000_and_is_marked_truncated()
    {
        // 10 MB of XML: on a machine busy with other test runs, reading it can take longer than the fixture's 5 s.
        var (summary, sink) = await CollectAsync("u50001.sm-gen.test", settings: new()
        {
            ["Scanning:ResponseTimeout"] = "00:01:00",
            ["Sitemaps:FileTimeout"] = "00:01:00",
        });

        var file = Assert.Single(sink.Files);
        Assert.True(file.Truncated);
        Assert.Equal(50_000, file.UrlCount);
        Assert.Contains("limit of 50000", file.Error, StringComparison.Ordinal);
        Assert.Equal(50_000, summary.Urls);
        Assert.Equal(SitemapSites.GeneratedUrl("u50001.sm-gen.test", 0, 49_999), sink.AllLocs.Last());
        // Streamed in batches, never the whole file at once.
        Assert.All(sink.BatchSizes, size => Assert.True(size <= 2_000));
    }

    [Fact]
    public async Task One_slow_file_is_cut_off_at_its_timeout_while_the_others_are_read()
    {
        var (summary, sink) = await CollectAsync("sm-slow.test", settings: new() { ["Sitemaps:FileTimeout"] = "00:00:02" });

        var slow = sink.File("/slow.xml");
        Assert.True(slow.Truncated, slow.ToString());
        Assert.Contains("longer than 2 s", slow.Error, StringComparison.Ordinal);
        Assert.Equal(["https://sm-slow.test/first"], sink.Urls[slow.Id].Select(u => u.Loc));
        Assert.Null(sink.File("/fast.xml").Error);
        Assert.Equal(2, summary.Urls);
    }

    [Fact]
    public async Task Files_not_declared_in_robots_txt_obey_its_rules()
    {
        var (summary, sink) = await CollectAsync("sm-disallow.test");

        Assert.Equal(["https://sm-disallow.test/visible"], sink.AllLocs);
        Assert.Equal(1, summary.Files);
    }

    [Fact]
    public async Task The_domain_url_limit_stops_reading_across_files()
    {
        var (summary, sink) = await CollectAsync("f3-u100.sm-gen.test", settings: new()
        {
            ["Sitemaps:MaxUrlsPerDomain"] = "250",
            ["Sitemaps:MaxConcurrentFiles"] = "1",
        });

        Assert.Equal(250, summary.Urls);
        Assert.Equal(250, sink.AllLocs.Distinct().Count());
        Assert.Contains(summary.Errors, e => e.Contains("limit of 250 URLs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Index_nesting_deeper_than_the_limit_is_not_followed()
    {
        var (summary, sink) = await CollectAsync("sm-wp.test", settings: new() { ["Sitemaps:MaxIndexDepth"] = "1" });

        Assert.DoesNotContain(sink.Files, f => f.Url.AbsolutePath == "/deep-sitemap.xml");
        Assert.Contains(summary.Errors, e => e.Contains("deep-sitemap.xml: indexes nest deeper than 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Files_are_read_by_as_many_workers_as_there_are_files_waiting_up_to_the_limit()
    {
        // One declared sitemap, the common case: one worker. An index of six slow files: four at a time, as before.
        var inFlight = 0;
        var mostInFlight = 0;
        fixture.Fleet.Map("sm-workers.test", async context =>
        {
            var path = context.Request.Path.Value!;
            var host = context.Request.Host.Host;
            if (path == "/robots.txt")
            {
                await context.Response.WriteAsync($"Sitemap: http://{host}/index.xml\n", context.RequestAborted);
                return;
            }

            context.Response.ContentType = "application/xml";
            if (path == "/index.xml")
            {
                var children = string.Concat(Enumerable.Range(0, 6).Select(i => $"<sitemap><loc>http://{host}/part-{i}.xml</loc></sitemap>"));
                await context.Response.WriteAsync($"<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{children}</sitemapindex>", context.RequestAborted);
                return;
            }

            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref mostInFlight, now);
            try
            {
                await Task.Delay(300, context.RequestAborted);
                await context.Response.WriteAsync(
                    $"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>http://{host}{path}.page</loc></url></urlset>", context.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        });
        fixture.Fleet.Map("one.sm-workers.test", context => context.Response.WriteAsync(
            context.Request.Path == "/robots.txt"
                ? "Sitemap: http://one.sm-workers.test/one.xml\n"
                : "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>http://one.sm-workers.test/a</loc></url></urlset>",
            context.RequestAborted));
        using var services = fixture.CreateServices();

        var single = services.GetRequiredService<SitemapCollector>();
        var one = await single.CollectAsync("one.sm-workers.test", services.GetRequiredService<RobotsPolicy>(), [], new RecordingSink(), Ct);
        var indexed = services.GetRequiredService<SitemapCollector>();
        var six = await indexed.CollectAsync("sm-workers.test", services.GetRequiredService<RobotsPolicy>(), [], new RecordingSink(), Ct);

        Assert.Equal((1, 1), (one.Files, one.Urls));
        Assert.Equal(1, single.WorkersStarted);
        Assert.Equal((7, 6), (six.Files, six.Urls));
        Assert.Equal(4, indexed.WorkersStarted);
        Assert.Equal(4, mostInFlight);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task A_site_without_sitemaps_gives_an_empty_summary()
    {
        var (summary, sink) = await CollectAsync("basic.test");

        Assert.Equal(0, summary.Files);
        Assert.Equal(0, summary.Urls);
        Assert.Empty(summary.DiscoveryMethods);
        Assert.Empty(summary.Errors);
        Assert.Empty(sink.Files);
    }
}
