using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Robots;

namespace ScraperSky.Scanning.Sitemaps;

/// Finds and reads every sitemap of a domain: the files robots.txt and the homepage declare, the well-known paths,
/// and whatever their indexes list (files not declared in robots.txt obey its rules), a few files at a time, each under its own timeout so one slow or failing file
/// never stalls the rest. URLs stream into an <see cref="ISitemapSink"/> in batches; memory stays flat whatever the
/// size (only a 64-bit hash per distinct URL is kept, to count them and skip repeats across files).
public sealed partial class SitemapCollector(
    IWebFetcher fetcher, IOptions<SitemapOptions> options, TimeProvider time, ILogger<SitemapCollector> logger)
{
    private const int MaxReportedErrors = 50;

    private readonly SitemapOptions _options = options.Value;
    private readonly SitemapParser _parser = new(options.Value);
    private int _workersStarted;

    /// Workers this collector has started over its collections (each reads files from its collection's queue).
    internal int WorkersStarted => Volatile.Read(ref _workersStarted);

    /// <paramref name="robots"/> is the scan's robots.txt policy (read once per scan); <paramref name="homepageLinks"/>
    /// the homepage's `<link rel="sitemap">` targets (see <see cref="SitemapLinks"/>). Only files in the
    /// <see cref="SitemapScope"/> are read. When <paramref name="stopReading"/> fires (the scan's deadline) no further
    /// file is started, the files being read are cut off where they are, and the summary says how many were left.
    public async Task<SitemapSummary> CollectAsync(
        string domain, RobotsPolicy robots, IReadOnlyList<Uri> homepageLinks, ISitemapSink sink, CancellationToken cancellationToken,
        CancellationToken stopReading = default)
    {
        ArgumentNullException.ThrowIfNull(robots);
        ArgumentNullException.ThrowIfNull(homepageLinks);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopReading);
        RobotsTxt robotsTxt;
        try
        {
            robotsTxt = await robots.GetAsync(new Uri($"https://{domain}/"), reading.Token);
        }
        catch (OperationCanceledException) when (stopReading.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            robotsTxt = RobotsTxt.AllowAll;
        }

        var named = robotsTxt.Sitemaps
            .Select(line => SitemapValues.ParseUrl(line, new Uri($"https://{domain}/"), allowRelative: false))
            .OfType<Uri>().ToList();
        using var run = new Run(this, robots, sink, new SitemapScope(domain, named), cancellationToken, stopReading);
        var declared = 0;
        foreach (var url in named)
        {
            declared++;
            run.TryEnqueue(new Work(url, SitemapDiscovery.Robots, null, 0, Probe: false));
        }

        foreach (var url in homepageLinks)
        {
            declared++;
            run.TryEnqueue(new Work(url, SitemapDiscovery.HomepageLink, null, 0, Probe: false));
        }

        if (_options.ProbeWellKnownPaths == WellKnownProbing.Always
            || (_options.ProbeWellKnownPaths == WellKnownProbing.WhenNoneDeclared && declared == 0))
        {
            foreach (var path in _options.WellKnownPaths)
            {
                run.TryEnqueue(new Work(new Uri($"https://{domain}{path}"), SitemapDiscovery.WellKnown, null, 0, Probe: true));
            }
        }

        var summary = await run.CompleteAsync();
        await sink.CompleteAsync(summary, cancellationToken);
        LogCollected(logger, domain, summary.Files, summary.Urls);
        return summary;
    }

    private async Task ReadFileAsync(Run run, Work work)
    {
        var cancellationToken = run.CancellationToken;
        using var timeout = new CancellationTokenSource(_options.FileTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, run.StopReading);
        var started = time.GetTimestamp();
        var file = new FileReading(run, new SitemapFileRecord
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Url = work.Url,
            ParentId = work.ParentId,
            Discovery = work.Discovery,
        });

        FetchedStream fetched;
        try
        {
            // The site owner named robots.txt's own sitemaps for crawlers; every other file obeys its rules.
            if (work.Discovery != SitemapDiscovery.Robots && !await run.Robots.IsAllowedAsync(work.Url, linked.Token))
            {
                await FailAsync("Disallowed by robots.txt; not read.");
                return;
            }

            fetched = await fetcher.OpenAsync(work.Url, _options.MaxBytesPerFile, run.Scope.Allows, linked.Token);
        }
        catch (ScanException e)
        {
            await FailAsync(e.Message);
            return;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAsync(run.StopReading.IsCancellationRequested
                ? "Not read: the scan's deadline came first."
                : $"No response within {_options.FileTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            return;
        }

        await using (fetched)
        {
            file.Record = file.Record with { HttpStatus = fetched.StatusCode };
            if (!fetched.IsSuccess)
            {
                await FailAsync($"HTTP {fetched.StatusCode.ToString(CultureInfo.InvariantCulture)}.");
                return;
            }

            // A redirect to a file read already (`/sitemap.xml` to `/wp-sitemap.xml`) is the same file.
            if (!SameFile(fetched.FinalUrl, work.Url) && !run.TryVisit(fetched.FinalUrl))
            {
                return;
            }

            var budget = run.RemainingUrlBudget;
            var result = await _parser.ParseAsync(fetched.Body, fetched.FinalUrl, file, budget, linked.Token);
            if (result.Cancelled)
            {
                cancellationToken.ThrowIfCancellationRequested();
                result = result with
                {
                    Error = run.StopReading.IsCancellationRequested
                        ? "The scan's deadline came while reading; the URLs read before were kept."
                        : $"Reading took longer than {_options.FileTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; the URLs read before were kept.",
                };
            }
            else if (result.Truncated && result.UrlCount >= budget && budget < _options.MaxUrlsPerFile)
            {
                result = result with
                {
                    Error = $"The domain's limit of {_options.MaxUrlsPerDomain.ToString(CultureInfo.InvariantCulture)} URLs was reached; the rest was not read.",
                };
            }

            if (work.Probe && result.Kind == SitemapKind.Unknown)
            {
                return;
            }

            file.Record = file.Record with
            {
                Url = fetched.FinalUrl,
                Kind = result.Kind,
                Bytes = result.Bytes,
                Gzipped = result.Gzipped,
                UrlCount = file.Stored,
                FetchMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
                Truncated = result.Truncated,
                Error = result.Error is null ? null : ErrorText.Cap(result.Error),
            };
            await file.CloseAsync(result.Kind is SitemapKind.Index ? null : result.NewestLastmod);
            if (result.Error is not null)
            {
                run.AddError($"{ErrorText.Url(fetched.FinalUrl)}: {result.Error}");
            }

            string[] ancestors = [.. work.Ancestors, Key(work.Url), Key(fetched.FinalUrl)];
            foreach (var child in result.Sitemaps)
            {
                var key = Key(child.Url);
                if (key == Key(fetched.FinalUrl) || key == Key(work.Url))
                {
                    run.AddError($"{ErrorText.Url(fetched.FinalUrl)}: the index lists itself; not read again.");
                }
                else if (ancestors.Contains(key))
                {
                    run.AddError($"{ErrorText.Url(fetched.FinalUrl)}: lists {ErrorText.Url(child.Url)}, an index above it (a cycle); not read again.");
                }
                else if (work.Depth + 1 > _options.MaxIndexDepth)
                {
                    run.AddError($"{ErrorText.Url(child.Url)}: indexes nest deeper than {_options.MaxIndexDepth.ToString(CultureInfo.InvariantCulture)} levels; not read.");
                }
                else
                {
                    // A file listed again by another index (or found another way first) is read once, silently.
                    run.TryEnqueue(new Work(child.Url, SitemapDiscovery.Index, file.Record.Id, work.Depth + 1, Probe: false)
                    {
                        Ancestors = ancestors,
                    });
                }
            }
        }

        async Task FailAsync(string error)
        {
            if (work.Probe)
            {
                return;
            }

            file.Record = file.Record with
            {
                Error = ErrorText.Cap(error),
                FetchMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
            };
            await file.CloseAsync(null);
            run.AddError($"{ErrorText.Url(work.Url)}: {error}");
            LogFileFailed(logger, work.Url, error);
        }
    }

    private static string Key(Uri url)
    {
        var host = url.IdnHost.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        // Scheme left out: the fetcher tries https first whatever the URL says, so http and https name one file.
        return host + url.PathAndQuery;
    }

    private static bool SameFile(Uri a, Uri b) => Key(a) == Key(b);

    // FNV-1a: a 64-bit fingerprint per distinct URL keeps a million URLs in a few megabytes.
    private static ulong Fingerprint(string url)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in url)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// Debug, as the other lines of one scan: at Information a batch wrote one per domain to the console.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Sitemaps of {Domain}: {Files} files, {Urls} distinct URLs")]
    private static partial void LogCollected(ILogger logger, string domain, int files, long urls);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sitemap {Url} could not be read: {Error}")]
    private static partial void LogFileFailed(ILogger logger, Uri url, string error);

    // Ancestors: the keys of the indexes that led here, to tell a cycle from a file that two indexes list.
    private sealed record Work(Uri Url, SitemapDiscovery Discovery, Guid? ParentId, int Depth, bool Probe)
    {
        public IReadOnlyList<string> Ancestors { get; init; } = [];
    }

    // One collection: the queue of files, what was visited, the distinct URLs, the figures for the summary.
    private sealed class Run : IDisposable
    {
        private readonly SitemapCollector _collector;
        private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>();
        private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
        private readonly HashSet<ulong> _urls = [];
        private readonly HashSet<SitemapDiscovery> _methods = [];
        private readonly List<string> _errors = [];
        private readonly SemaphoreSlim _sinkGate = new(1, 1);
        private readonly Lock _lock = new();
        private int _pending;

        // Workers reading the queue, started as files wait for them up to MaxConcurrentFiles (see StartWorkersLocked).
        private readonly List<Task> _workers = [];
        private bool _started;
        private int _files;
        private int _truncated;
        private bool _fileLimitReported;
        private DateTimeOffset? _newest;
        private int _notRead;
        private CancellationTokenRegistration _stop;

        public Run(SitemapCollector collector, RobotsPolicy robots, ISitemapSink sink, SitemapScope scope,
            CancellationToken cancellationToken, CancellationToken stopReading)
        {
            _collector = collector;
            Robots = robots;
            Sink = sink;
            Scope = scope;
            CancellationToken = cancellationToken;
            StopReading = stopReading;
            // At the deadline the queue closes: the workers finish the files in hand (cut off) and take no more.
            _stop = stopReading.Register(static r => ((Run)r!)._queue.Writer.TryComplete(), this);
        }

        public SitemapScope Scope { get; }
        public CancellationToken StopReading { get; }

        public void Dispose() => _stop.Dispose();

        public ISitemapSink Sink { get; }
        public RobotsPolicy Robots { get; }
        public CancellationToken CancellationToken { get; }
        public SemaphoreSlim SinkGate => _sinkGate;
        public int BatchSize => Math.Max(1, _collector._options.BatchSize);

        public int RemainingUrlBudget
        {
            get
            {
                lock (_lock)
                {
                    var left = _collector._options.MaxUrlsPerDomain - _urls.Count;
                    return (int)Math.Clamp(left, 0, _collector._options.MaxUrlsPerFile);
                }
            }
        }

        public bool TryEnqueue(Work work)
        {
            lock (_lock)
            {
                if (!_visited.Add(Key(work.Url)))
                {
                    return false;
                }

                if (Scope.RefusalReason(work.Url) is { } outOfScope)
                {
                    AddErrorLocked($"{ErrorText.Url(work.Url)}: {outOfScope}");
                    return false;
                }

                if (StopReading.IsCancellationRequested)
                {
                    _notRead++;
                    return true;
                }

                if (_visited.Count > _collector._options.MaxFilesPerDomain)
                {
                    if (!_fileLimitReported)
                    {
                        _fileLimitReported = true;
                        AddErrorLocked($"More than {_collector._options.MaxFilesPerDomain.ToString(CultureInfo.InvariantCulture)} sitemap files; the rest were not read.");
                    }

                    return true;
                }

                _pending++;
                _queue.Writer.TryWrite(work);
                StartWorkersLocked();
            }

            return true;
        }

        public bool TryVisit(Uri url)
        {
            lock (_lock)
            {
                return _visited.Add(Key(url));
            }
        }

        /// Counts a URL once per domain; false for a repeat (already stored from another file) or over the budget.
        public bool TryCountUrl(string loc)
        {
            lock (_lock)
            {
                return _urls.Count < _collector._options.MaxUrlsPerDomain && _urls.Add(Fingerprint(loc));
            }
        }

        public void FileRecorded(SitemapFileRecord record, DateTimeOffset? newest)
        {
            lock (_lock)
            {
                // See SitemapSummary for the rule: a file is counted when read, its discovery kept either way.
                if (SitemapSummary.CountsAsFile(record.HttpStatus))
                {
                    _files++;
                }

                if (record.Truncated)
                {
                    _truncated++;
                }

                _methods.Add(record.Discovery);

                if (newest > _newest || _newest is null)
                {
                    _newest = newest ?? _newest;
                }
            }
        }

        public void AddError(string error)
        {
            lock (_lock)
            {
                AddErrorLocked(error);
            }
        }

        private void AddErrorLocked(string error)
        {
            if (_errors.Count < MaxReportedErrors)
            {
                _errors.Add(ErrorText.Cap(error));
            }
        }

        public async Task<SitemapSummary> CompleteAsync()
        {
            lock (_lock)
            {
                _started = true;
                if (_pending == 0)
                {
                    _queue.Writer.TryComplete();
                }

                StartWorkersLocked();
            }

            // Workers are started here and by running workers (an index's files): once all those known have ended and
            // no other was started meanwhile, none is left to start one.
            while (true)
            {
                Task[] workers;
                lock (_lock)
                {
                    workers = [.. _workers];
                }

                await Task.WhenAll(workers);
                lock (_lock)
                {
                    if (_workers.Count == workers.Length)
                    {
                        break;
                    }
                }
            }

            lock (_lock)
            {
                if (StopReading.IsCancellationRequested)
                {
                    AddErrorLocked($"Reading stopped at the scan's deadline; {_notRead.ToString(CultureInfo.InvariantCulture)} sitemap files found were not read.");
                }

                return new SitemapSummary
                {
                    Files = _files,
                    Urls = _urls.Count,
                    NewestLastmod = _newest,
                    DiscoveryMethods = [.. _methods.Order().Select(m => JsonNamingPolicy.SnakeCaseLower.ConvertName(m.ToString()))],
                    Errors = [.. _errors],
                    TruncatedFiles = _truncated,
                };
            }
        }

        /// One worker per pending file, at most MaxConcurrentFiles: a domain's single sitemap is read by one worker
        /// rather than four, three of which waited on the empty queue, each a work item for the thread pool to start
        /// and another to end.
        private void StartWorkersLocked()
        {
            while (_started && _workers.Count < Math.Min(_pending, Math.Max(1, _collector._options.MaxConcurrentFiles)))
            {
                Interlocked.Increment(ref _collector._workersStarted);
                _workers.Add(Task.Run(WorkAsync, CancellationToken));
            }
        }

        private async Task WorkAsync()
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(CancellationToken))
            {
                try
                {
                    if (StopReading.IsCancellationRequested)
                    {
                        lock (_lock)
                        {
                            _notRead++;
                        }

                        continue;
                    }

                    await _collector.ReadFileAsync(this, work);
                }
                finally
                {
                    lock (_lock)
                    {
                        if (--_pending == 0)
                        {
                            _queue.Writer.TryComplete();
                        }
                    }
                }
            }
        }
    }

    // The URLs of one file on their way to the sink; the file is opened in the sink when its first batch is due.
    private sealed class FileReading(Run run, SitemapFileRecord record) : ISitemapUrlHandler
    {
        private readonly List<SitemapUrlEntry> _batch = [];
        private bool _opened;

        public SitemapFileRecord Record { get; set; } = record;

        /// URLs of this file handed to the sink (repeats from other files left out).
        public int Stored { get; private set; }

        public async ValueTask OnUrlAsync(SitemapUrlEntry url, CancellationToken cancellationToken)
        {
            if (!run.TryCountUrl(url.Loc))
            {
                return;
            }

            _batch.Add(url);
            Stored++;
            if (_batch.Count >= run.BatchSize)
            {
                await FlushAsync();
            }
        }

        // The sink works under the collection's token, not the file's: a file timeout must not cut a batch write.
        private async Task FlushAsync()
        {
            await run.SinkGate.WaitAsync(run.CancellationToken);
            try
            {
                if (!_opened)
                {
                    _opened = true;
                    await run.Sink.OpenFileAsync(Record, run.CancellationToken);
                }

                if (_batch.Count > 0)
                {
                    await run.Sink.AddUrlsAsync(Record, _batch, run.CancellationToken);
                    _batch.Clear();
                }
            }
            finally
            {
                run.SinkGate.Release();
            }
        }

        public async Task CloseAsync(DateTimeOffset? newest)
        {
            await FlushAsync();
            await run.SinkGate.WaitAsync(run.CancellationToken);
            try
            {
                await run.Sink.CloseFileAsync(Record, run.CancellationToken);
            }
            finally
            {
                run.SinkGate.Release();
            }

            run.FileRecorded(Record, newest);
        }
    }
}
