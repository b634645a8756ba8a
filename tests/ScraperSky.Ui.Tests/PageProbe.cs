using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ScraperSky.Ui.Tests;

/// A browser page that records every request to another origin and every console error or uncaught exception;
/// <see cref="DisposeAsync"/> fails the test when it saw any. Screenshots go beside the test binaries
/// (`screenshots/`) as the test run's artefacts, and to `docs/screenshots/` of the checkout when
/// `SCRAPERSKY_UPDATE_SCREENSHOTS=1`.
public sealed partial class PageProbe : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _offOrigin = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly List<string> _allowed = [];
    private readonly string _origin;

    public PageProbe(IPage page, string baseUrl)
    {
        Page = page;
        _origin = new Uri(baseUrl).GetLeftPart(UriPartial.Authority);
        page.Request += (_, request) =>
        {
            var url = request.Url;
            if (!url.StartsWith("blob:", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal)
                && !string.Equals(new Uri(url).GetLeftPart(UriPartial.Authority), _origin, StringComparison.OrdinalIgnoreCase))
            {
                _offOrigin.Enqueue(url);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"uncaught: {error}");
    }

    public IPage Page { get; }

    public IReadOnlyCollection<string> OffOriginRequests => _offOrigin;

    /// Lets console errors containing <paramref name="text"/> pass: a test that provokes them on purpose (a 401 the
    /// browser reports as a failed load).
    public void AllowConsoleError(string text) => _allowed.Add(text);

    /// Saves the page's screenshot once it has settled, and fails the test when the page shows a value the script
    /// printed raw ("null", "undefined", "[object Object]", "NaN"). The API reference is left out: its text is ours.
    public async Task ScreenshotAsync(string name)
    {
        if (!new Uri(Page.Url).AbsolutePath.StartsWith("/docs", StringComparison.Ordinal))
        {
            var text = await Page.InnerTextAsync("body");
            Assert.False(LeakedValue().IsMatch(text), $"The page {Page.Url} shows a raw script value: {LeakedValue().Match(text).Value}");
        }

        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (Environment.GetEnvironmentVariable("SCRAPERSKY_UPDATE_SCREENSHOTS") == "1" && FindDocs() is { } docs)
        {
            File.Copy(path, Path.Combine(docs, $"{name}.png"), overwrite: true);
        }
    }

    public void AssertClean()
    {
        Assert.True(_offOrigin.IsEmpty, $"The page made requests to other origins: {string.Join(", ", _offOrigin)}");
        var errors = _errors.Where(e => !_allowed.Any(a => e.Contains(a, StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, $"The page logged console errors: {string.Join(" | ", errors)}");
    }

    private static string? FindDocs()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ScraperSky.slnx")))
            {
                var docs = Path.Combine(directory.FullName, "docs", "screenshots");
                Directory.CreateDirectory(docs);
                return docs;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            AssertClean();
        }
        finally
        {
            await Page.Context.CloseAsync();
        }
    }

    [GeneratedRegex(@"null|undefined|\[object Object\]|\bNaN\b")]
    private static partial Regex LeakedValue();
}
