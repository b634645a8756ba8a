using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Scanning.Tests;

/// A scan's requests overlap where they do not depend on each other (robots.txt beside the homepage, contact pages a few
/// at a time, the sitemaps beside them), and its result is the one of reading them one after another: the first
/// `ContactPages` usable candidates in their order, whatever order the answers come in. Sites of the fleet made per test,
/// whose pages answer after latencies of their own.
public sealed class OverlappedScanTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The candidates in the order the selector ranks them: contact 10, impressum 9, about 6, team 5, support 3.
    private static readonly string[] Candidates = ["/contact/", "/impressum", "/about/", "/team/", "/support/"];

    [Fact]
    public async Task Contact_pages_and_robots_txt_are_asked_for_alongside_other_requests_within_the_caps()
    {
        // Over https, which the fleet serves here: a failed https attempt first (to the plain port) takes its own time,
        // which would race robots.txt against the homepage.
        var site = LatencySite.Start(fixture.Fleet, new() { ["/"] = 300, ["/robots.txt"] = 300, ["/contact/"] = 300,
            ["/impressum"] = 300, ["/about/"] = 300, ["/team/"] = 300, ["/support/"] = 300, ["/sitemap.xml"] = 300 });
        using var services = fixture.CreateServices(fixture.Fleet.HttpsSettings);

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = site.Host, IncludeSitemaps = true }, null, Ct);

        Assert.Equal([site.Url("/", "https"), .. Candidates.Select(path => site.Url(path, "https"))], metadata.PagesScanned);
        Assert.Equal(1, metadata.Sitemaps!.Files);
        Assert.True(site.RobotsAskedDuringHomepage, "robots.txt and the homepage were not asked for at once");
        Assert.Equal(DomainScanner.ContactPagesAtOnce, site.MostContactPagesInFlight);
        Assert.InRange(fixture.Fleet.MostInFlightFor(site.Host), DomainScanner.ContactPagesAtOnce + 1,
            services.GetRequiredService<HostConcurrency>().Limit);
        // Each asked for once, as one after another: nothing is read twice or in vain.
        Assert.All(site.Paths, path => Assert.Equal(1, fixture.Fleet.HitsOnPath(site.Host, path)));
    }

    [Theory]
    [InlineData(0, 0, 0, 0, 0)]
    [InlineData(400, 0, 200, 0, 100)]
    [InlineData(0, 300, 0, 200, 0)]
    [InlineData(300, 200, 100, 0, 0)]
    public async Task The_first_usable_candidates_are_kept_in_their_order_whatever_order_they_answer_in(
        int contact, int impressum, int about, int team, int support)
    {
        var site = LatencySite.Start(fixture.Fleet, Latencies(contact, impressum, about, team, support));
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:ContactPages"] = "3" });

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = site.Host, IncludeSitemaps = false }, null, Ct);

        Assert.Equal([site.Url("/"), site.Url("/contact/"), site.Url("/impressum"), site.Url("/about/")], metadata.PagesScanned);
        // No more pages read than one after another would: the budget's three.
        Assert.Equal(0, fixture.Fleet.HitsOnPath(site.Host, "/team/"));
        Assert.Equal(0, fixture.Fleet.HitsOnPath(site.Host, "/support/"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public async Task A_missing_or_failing_candidate_gives_its_place_to_the_next(int latency)
    {
        // /impressum is missing, /about/ answers 500: /team/ and /support/ take their places.
        var site = LatencySite.Start(fixture.Fleet, new() { ["/"] = 0, ["/robots.txt"] = 0, ["/contact/"] = latency,
            ["/impressum"] = LatencySite.Missing, ["/about/"] = LatencySite.Failing, ["/team/"] = latency, ["/support/"] = 0 });
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:ContactPages"] = "3" });

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = site.Host, IncludeSitemaps = false }, null, Ct);

        Assert.Equal([site.Url("/"), site.Url("/contact/"), site.Url("/team/"), site.Url("/support/")], metadata.PagesScanned);
        Assert.False(metadata.Partial);
    }

    [Fact]
    public async Task A_candidate_robots_txt_disallows_is_not_asked_for_and_the_next_takes_its_place()
    {
        var site = LatencySite.Start(fixture.Fleet, Latencies(200, 0, 0, 100, 0), robots: "User-agent: *\nDisallow: /impressum\n");
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:ContactPages"] = "3" });

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = site.Host, IncludeSitemaps = true }, null, Ct);

        Assert.Equal([site.Url("/"), site.Url("/contact/"), site.Url("/about/"), site.Url("/team/")], metadata.PagesScanned);
        Assert.Equal(0, fixture.Fleet.HitsOnPath(site.Host, "/impressum"));
        Assert.Equal(1, fixture.Fleet.HitsOnPath(site.Host, "/robots.txt"));
    }

    [Fact]
    public async Task At_the_deadline_the_pages_read_are_kept_and_the_result_says_what_was_missed()
    {
        // /impressum never answers: /contact/ and /about/, read beside it, are kept when the deadline ends the wait.
        var site = LatencySite.Start(fixture.Fleet, Latencies(0, LatencySite.Hanging, 0, 0, 0));
        using var services = fixture.CreateServices(new Dictionary<string, string?>
        {
            ["Scanning:ContactPages"] = "3",
            ["Scanning:ScanDeadline"] = "00:00:03",
        });

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = site.Host, IncludeSitemaps = true }, null, Ct);

        Assert.Equal([site.Url("/"), site.Url("/contact/"), site.Url("/about/")], metadata.PagesScanned);
        Assert.True(metadata.Partial);
        Assert.Equal("The scan reached its time limit of 3 s: 2 of up to 3 contact pages were read.", metadata.PartialReason);
        // The sitemap was read beside the contact pages, before the deadline: not cut off.
        Assert.Equal(1, metadata.Sitemaps!.Files);
        Assert.Equal(0, fixture.Fleet.HitsOnPath(site.Host, "/team/"));
    }

    [Fact]
    public async Task Scans_reading_pages_at_once_do_not_deadlock_when_the_page_budget_holds_one_page()
    {
        // A budget of one byte: one page in flight at a time across every scan (the first is always admitted).
        using var lane = new ExtractionLane(1, pageBytes: 1);
        var sites = Enumerable.Range(0, 6).Select(i => LatencySite.Start(fixture.Fleet, Latencies(50 * i, 20, 0, 30, 10))).ToList();
        using var services = fixture.CreateServices(
            new Dictionary<string, string?> { ["Scanning:ContactPages"] = "3" }, s => s.AddSingleton(lane));
        var scanner = services.GetRequiredService<IDomainScanner>();

        var results = await Task.WhenAll(sites.Select(site => scanner.ScanAsync(new ScanRequest { Domain = site.Host, IncludeSitemaps = true }, null, Ct)))
            .WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.All(sites.Zip(results), pair => Assert.Equal(
            [pair.First.Url("/"), pair.First.Url("/contact/"), pair.First.Url("/impressum"), pair.First.Url("/about/")], pair.Second.PagesScanned));
        Assert.All(results, result => Assert.False(result.Partial));
        Assert.Equal(0, lane.PageBytesHeld);
    }

    private static Dictionary<string, int> Latencies(int contact, int impressum, int about, int team, int support) => new()
    {
        ["/"] = 0, ["/robots.txt"] = 0, ["/sitemap.xml"] = 0,
        ["/contact/"] = contact, ["/impressum"] = impressum, ["/about/"] = about, ["/team/"] = team, ["/support/"] = support,
    };

    /// A site of its own host: a homepage linking to the five candidates, each page naming its own email address, and
    /// every path answering after its latency in milliseconds (or missing, failing or never answering).
    private sealed class LatencySite
    {
        public const int Missing = -1;
        public const int Failing = -2;
        public const int Hanging = -3;

        private readonly Dictionary<string, int> _latencies;
        private readonly string _robots;
        private int _homepageInFlight;
        private int _robotsInFlight;
        private int _contactInFlight;
        private int _mostContactInFlight;

        private LatencySite(string host, Dictionary<string, int> latencies, string robots)
        {
            Host = host;
            _latencies = latencies;
            _robots = robots;
        }

        public string Host { get; }

        public IEnumerable<string> Paths => _latencies.Keys;

        public bool RobotsAskedDuringHomepage { get; private set; }

        public int MostContactPagesInFlight => Volatile.Read(ref _mostContactInFlight);

        public static LatencySite Start(TestSiteFleet fleet, Dictionary<string, int> latencies, string robots = "User-agent: *\nDisallow:\n")
        {
            var site = new LatencySite($"flow-{Guid.NewGuid():N}.test", latencies, robots);
            fleet.Map(site.Host, site.ServeAsync);
            return site;
        }

        public string Url(string path, string scheme = "http") => $"{scheme}://{Host}{path}";

        private async Task ServeAsync(HttpContext context)
        {
            var path = context.Request.Path.Value ?? "/";
            var contact = Candidates.Contains(path);
            // Whichever of the two arrives first, the other arriving while it is in flight makes them overlap.
            if (path == "/")
            {
                Interlocked.Increment(ref _homepageInFlight);
                RobotsAskedDuringHomepage |= Volatile.Read(ref _robotsInFlight) > 0;
            }
            else if (path == "/robots.txt")
            {
                Interlocked.Increment(ref _robotsInFlight);
                RobotsAskedDuringHomepage |= Volatile.Read(ref _homepageInFlight) > 0;
            }

            if (contact)
            {
                var now = Interlocked.Increment(ref _contactInFlight);
                int most;
                while (now > (most = Volatile.Read(ref _mostContactInFlight)) && Interlocked.CompareExchange(ref _mostContactInFlight, now, most) != most)
                {
                }
            }

            try
            {
                var latency = _latencies.TryGetValue(path, out var ms) ? ms : Missing;
                if (latency == Hanging)
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                else if (latency > 0)
                {
                    await Task.Delay(latency, context.RequestAborted);
                }

                if (latency is Missing or Failing)
                {
                    context.Response.StatusCode = latency == Missing ? StatusCodes.Status404NotFound : StatusCodes.Status500InternalServerError;
                    await context.Response.WriteAsync("Not here", context.RequestAborted);
                    return;
                }

                (context.Response.ContentType, var body) = path switch
                {
                    "/" => ("text/html; charset=utf-8", Homepage()),
                    "/robots.txt" => ("text/plain", $"{_robots}Sitemap: http://{Host}/sitemap.xml\n"),
                    "/sitemap.xml" => ("application/xml",
                        $"""<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://{Host}/contact/</loc></url></urlset>"""),
                    _ => ("text/html; charset=utf-8", Page(path)),
                };
                await context.Response.WriteAsync(body, context.RequestAborted);
            }
            finally
            {
                if (contact)
                {
                    Interlocked.Decrement(ref _contactInFlight);
                }
                else if (path == "/")
                {
                    Interlocked.Decrement(ref _homepageInFlight);
                }
                else if (path == "/robots.txt")
                {
                    Interlocked.Decrement(ref _robotsInFlight);
                }
            }
        }

        private string Homepage() => $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Latency {Host}</title><link rel="icon" href="/favicon.ico"></head>
            <body><nav><a href="/">Home</a> <a href="/support/">Support</a> <a href="/team/">Team</a> <a href="/about/">About</a>
            <a href="/impressum">Impressum</a> <a href="/contact/">Contact</a></nav><main><h1>Welcome</h1></main></body></html>
            """;

        private string Page(string path)
        {
            var name = path.Trim('/');
            return $"""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name)}</title></head>
                <body><main><p>Write to <a href="mailto:{name}@{Host}">{name}@{Host}</a>.</p></main></body></html>
                """;
        }
    }
}
