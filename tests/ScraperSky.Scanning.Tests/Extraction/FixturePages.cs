using System.Text;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Tests.Extraction;

/// Fixture pages of the test-site fleet read straight from disk, as the fetcher would hand them over, for unit tests
/// of the extractor. End-to-end tests fetch the same files over HTTP.
internal static class FixturePages
{
    public static readonly HtmlExtractor Extractor = new(FingerprintMatcher.Shipped);

    public static FetchedPage Load(string host, string path = "index.html", Dictionary<string, IReadOnlyList<string>>? headers = null)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Sites", host, path);
        var url = new Uri($"https://{host}/{(path == "index.html" ? string.Empty : path)}");
        return Page(url, File.ReadAllText(file), headers);
    }

    public static FetchedPage Page(Uri url, string html, Dictionary<string, IReadOnlyList<string>>? headers = null) => new()
    {
        RequestedUrl = url,
        FinalUrl = url,
        StatusCode = 200,
        Headers = headers ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase),
        // Decoded as a fetched page is, so the extractor reads a pooled buffer rather than a string here too.
        Html = PageText.Decode(Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8"),
        Bytes = html.Length,
    };

    public static PageExtraction Extract(string host, string path = "index.html") => Extractor.Extract(Load(host, path));

    public static PageExtraction ExtractHtml(string html, string url = "https://inline.test/") =>
        Extractor.Extract(Page(new Uri(url), html));
}
