using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Scanning.Tests.Sitemaps;

/// Keeps what the collector hands over, and checks the sink protocol (open before URLs, close once).
internal sealed class RecordingSink : ISitemapSink
{
    private readonly HashSet<Guid> _open = [];

    public List<SitemapFileRecord> Files { get; } = [];
    public Dictionary<Guid, List<SitemapUrlEntry>> Urls { get; } = [];
    public List<int> BatchSizes { get; } = [];
    public SitemapSummary? Completed { get; private set; }

    public IEnumerable<string> AllLocs => Urls.Values.SelectMany(u => u).Select(u => u.Loc);

    public SitemapFileRecord File(string pathEnd) => Files.Single(f => f.Url.AbsolutePath.EndsWith(pathEnd, StringComparison.Ordinal));

    public Task OpenFileAsync(SitemapFileRecord file, CancellationToken cancellationToken)
    {
        Assert.True(_open.Add(file.Id), $"{file.Url} opened twice");
        Urls[file.Id] = [];
        return Task.CompletedTask;
    }

    public Task AddUrlsAsync(SitemapFileRecord file, IReadOnlyList<SitemapUrlEntry> urls, CancellationToken cancellationToken)
    {
        Assert.Contains(file.Id, _open);
        Urls[file.Id].AddRange(urls);
        BatchSizes.Add(urls.Count);
        return Task.CompletedTask;
    }

    public Task CloseFileAsync(SitemapFileRecord file, CancellationToken cancellationToken)
    {
        Assert.True(_open.Remove(file.Id), $"{file.Url} closed without being open");
        Files.Add(file);
        return Task.CompletedTask;
    }

    public Task CompleteAsync(SitemapSummary summary, CancellationToken cancellationToken)
    {
        Assert.Empty(_open);
        Completed = summary;
        return Task.CompletedTask;
    }
}
