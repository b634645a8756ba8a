using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Ui.Tests;

/// One real server (local mode, SQLite in a temp file) scanning the test-site fleet, and one headless Chromium:
/// Debian's, driven by Playwright through `ExecutablePath`, with no browser download and no background traffic.
public class UiServerFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"scrapersky-ui-{Guid.NewGuid():N}.db");
    private ServerProcess? _server;
    private IPlaywright? _playwright;

    internal UiSites Sites { get; } = new();
    internal ServerProcess Server => _server!;
    public TestSiteFleet Fleet { get; private set; } = null!;

    /// `acme.switch.test`, serving its `v1` fixture until a test switches it.
    public SwitchableSite Acme { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl => Server.BaseUrl;
    public HttpClient Api => Server.Client;
    public string DatabasePath => _database;

    /// Settings beyond the fleet and the database, for fixtures of another kind of server.
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public async ValueTask InitializeAsync()
    {
        Fleet = await TestSiteFleet.StartAsync();
        Sites.MapAll(Fleet);
        Acme = SwitchableSite.Map(Fleet, "acme.switch.test", "v1");
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__ScraperSky"] = $"Data Source={_database}",
            ["Scanning__HostMap__test"] = Fleet.HostMapValue,
            ["Scanning__CheckMx"] = "false",
            ["Jobs__Concurrency"] = "2",
            ["Jobs__PollInterval"] = "00:00:00.200",
            // One browser client drives every test of the collection within a minute or two: the default budget of
            // 5 batches and 60 requests a minute would refuse a later test's batch (the API tests cover the limits).
            ["RateLimits__BatchesPerWindow"] = "1000",
            ["RateLimits__RequestsPerWindow"] = "100000",
        };
        foreach (var (name, value) in Settings)
        {
            environment[name] = value;
        }

        _server = await ServerProcess.StartAsync(environment, CancellationToken.None);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArguments,
        });
    }

    /// A new browser page on this server that records what a test must not see (<see cref="PageProbe"/>).
    public async Task<PageProbe> OpenAsync(string path = "/")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var probe = new PageProbe(page, BaseUrl);
        if (path.Length > 0)
        {
            await page.GotoAsync(path);
        }

        return probe;
    }

    /// Submits a batch through the API and waits until it has ended; returns its id.
    public async Task<string> ScanAsync(params string[] domains)
    {
        using var response = await Api.PostAsJsonAsync("/api/v1/batch", new { domains, include_sitemaps = false });
        response.EnsureSuccessStatusCode();
        var batchId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("batch_id").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var status = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/batch/status/{batchId}");
            if (status.GetProperty("pending_jobs").GetInt32() == 0 && status.GetProperty("running_jobs").GetInt32() == 0)
            {
                return batchId;
            }

            await Task.Delay(300);
        }

        throw new TimeoutException($"Batch {batchId} did not end within 120 s.");
    }

    public async ValueTask DisposeAsync()
    {
        Sites.ReleaseSlowSites();
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await Fleet.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }

        GC.SuppressFinalize(this);
    }
}
