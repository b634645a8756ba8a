using Microsoft.Extensions.DependencyInjection;

namespace ScraperSky.Scanning.Tests;

public sealed class DomainScannerTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_scan_reads_the_homepage_metadata_over_real_http()
    {
        using var services = fixture.CreateServices();
        var progress = new RecordingProgress();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "basic.test" }, progress, Ct);

        Assert.Equal("Basic Test Site", metadata.Title);
        Assert.Equal("A plain site for the fleet's own tests.", metadata.Description);
        Assert.Equal("en-GB", metadata.Language);
        Assert.Equal("http://basic.test/", metadata.FinalUrl);
        Assert.Equal(200, metadata.HttpStatus);
        Assert.Empty(metadata.RedirectChain);
        Assert.Equal("Kestrel", metadata.Server);
        Assert.Null(metadata.PoweredBy);
        Assert.Equal(new FileInfo(Path.Combine(fixture.Fleet.SitesRoot, "basic.test", "index.html")).Length, metadata.PageBytes);
        Assert.True(metadata.FetchMs >= 0);
        Assert.Equal(["http://basic.test/"], metadata.PagesScanned);
        Assert.Equal(
            [(ScanSteps.Starting, "Fetching the homepage https://basic.test/"), (ScanSteps.Extracting, "Reading the homepage http://basic.test/")],
            progress.Reports.Take(2).Select(p => (p.Step, p.Message)));
        Assert.All(progress.Reports.Skip(1), p => Assert.Equal(ScanSteps.Extracting, p.Step));
    }

    [Fact]
    public async Task Open_graph_tags_and_content_language_fill_in_for_missing_title_description_and_lang()
    {
        using var services = fixture.CreateServices();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "og-fallback.test" }, null, Ct);

        Assert.Equal("Open Graph Title", metadata.Title);
        Assert.Equal("Described by Open Graph only.", metadata.Description);
        Assert.Equal("de-DE", metadata.Language);
    }

    [Fact]
    public async Task A_blank_title_and_missing_tags_are_null_not_empty()
    {
        using var services = fixture.CreateServices();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "blank.test" }, null, Ct);

        Assert.Null(metadata.Title);
        Assert.Null(metadata.Description);
        Assert.Null(metadata.Language);
    }

    [Fact]
    public async Task A_redirected_homepage_records_the_chain_and_headers()
    {
        using var services = fixture.CreateServices();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "redirect.test" }, null, Ct);

        Assert.Equal("Redirect Destination", metadata.Title);
        Assert.Equal("fr", metadata.Language);
        Assert.Equal("http://redirect.test/final/", metadata.FinalUrl);
        Assert.Equal(["http://redirect.test/", "http://redirect.test/step2"], metadata.RedirectChain);
        Assert.Equal("PHP/8.3", metadata.PoweredBy);
        Assert.Equal(["http://redirect.test/final/"], metadata.PagesScanned);
    }

    [Theory]
    [InlineData("no-such-site.test", false, "no-such-site.test answered HTTP 404 (Not Found).")]
    [InlineData("private.status403.gen.test", false, "private.status403.gen.test answered HTTP 403 (Forbidden).")]
    [InlineData("gone.status410.gen.test", false, "gone.status410.gen.test answered HTTP 410 (Gone).")]
    [InlineData("down.status503.gen.test", true, "down.status503.gen.test answered HTTP 503 (Service Unavailable); the scan will be retried.")]
    [InlineData("broken.status500.gen.test", true, "broken.status500.gen.test answered HTTP 500 (Internal Server Error); the scan will be retried.")]
    [InlineData("busy.status429.gen.test", true, "busy.status429.gen.test answered HTTP 429 (Too Many Requests); the scan will be retried.")]
    [InlineData("to-metadata.hostile.test", false, "Refused to connect to 169.254.169.254: link-local address (cloud metadata range)")]
    public async Task An_unusable_homepage_fails_the_scan_with_a_reason_and_its_kind(string domain, bool transient, string message)
    {
        using var services = fixture.CreateServices();

        var error = await Assert.ThrowsAsync<ScanException>(() => services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = domain }, null, Ct));

        Assert.Equal(message, error.Message);
        Assert.Equal(transient, error.IsTransient);
    }

    [Fact]
    public async Task A_generated_site_with_latency_is_scanned()
    {
        using var services = fixture.CreateServices();

        var metadata = await services.GetRequiredService<IDomainScanner>()
            .ScanAsync(new ScanRequest { Domain = "shop-17.delay50.gen.test" }, null, Ct);

        Assert.Equal("Shop 17", metadata.Title);
        Assert.Equal("Generated test site shop-17.delay50.gen.test", metadata.Description);
        Assert.Equal("en", metadata.Language);
    }

    private sealed class RecordingProgress : IProgress<ScanProgress>
    {
        public List<ScanProgress> Reports { get; } = [];

        public void Report(ScanProgress value) => Reports.Add(value);
    }
}
