using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Sitemaps;

/// Stores one collection of a domain's sitemaps: file rows by raw statements, URL rows in bulk (prepared batched upserts
/// on SQLite, one upsert of array parameters per batch on PostgreSQL). A collection of up to <see cref="BufferedUrls"/>
/// URLs (nearly every site's) is kept in memory and written by the transaction that completes the scan's job
/// (<see cref="WriteAsync"/>): one commit per scan instead of two, and a scan that fails or loses its lease writes none
/// of it. A larger one is written as it arrives, each batch in its own transaction, from the batch that crosses the
/// limit on. The completing transaction also retires the files of earlier collections of the domain, and with them the
/// URLs no longer listed (`DomainStore`, given <see cref="CollectedAt"/>); a large collection whose scan fails half-way
/// leaves the earlier collection in place next to what it wrote, and the next successful one tidies both.
public sealed class SitemapStore : ISitemapSink
{
    /// The most URLs a collection keeps in memory for the completing transaction; past it, it writes as it goes.
    internal const int BufferedUrls = 500;

    private readonly IDbContextFactory<ScraperSkyDbContext> _contexts;
    private readonly Guid _tenantId;
    private readonly string _domain;

    public SitemapStore(IDbContextFactory<ScraperSkyDbContext> contexts, TimeProvider time, Guid tenantId, string domain)
    {
        _contexts = contexts;
        _tenantId = tenantId;
        _domain = domain;
        CollectedAt = time.GetUtcNow().UtcDateTime;
    }

    /// When this collection started: every file row it writes carries it.
    public DateTime CollectedAt { get; }

    // Files the collector opened whose row is not written yet: it goes in with the file's first URLs, or at its close.
    private readonly Dictionary<Guid, SitemapFileRecord> _unwritten = [];

    // The row as written (or waiting to be), per open file: a close that changes nothing writes nothing.
    private readonly Dictionary<Guid, SitemapFileRecord> _written = [];

    // The writes not yet made, in the order the collector asked for them (a file's row before its URLs).
    private readonly List<Write> _pending = [];
    private int _pendingUrls;

    // Set once the collection outgrew the buffer: every write then goes to the database at once.
    private bool _streaming;

    /// A file row to insert, with the latest figures its close brought while it waited, or a batch of a file's URLs.
    private sealed class Write(SitemapFileRecord file, SitemapUrlEntry[]? urls)
    {
        public SitemapFileRecord File { get; set; } = file;

        public SitemapUrlEntry[]? Urls => urls;
    }

    // A file's row is written with its first URLs rather than when it is opened, and a close that brings no new figures
    // is skipped.
    public Task OpenFileAsync(SitemapFileRecord file, CancellationToken cancellationToken)
    {
        _unwritten[file.Id] = file;
        return Task.CompletedTask;
    }

    public async Task AddUrlsAsync(SitemapFileRecord file, IReadOnlyList<SitemapUrlEntry> urls, CancellationToken cancellationToken)
    {
        if (urls.Count == 0)
        {
            return;
        }

        if (_unwritten.Remove(file.Id))
        {
            _pending.Add(new Write(file, null));
            _written[file.Id] = file;
        }

        // Copied: the collector reuses its batch.
        _pending.Add(new Write(file, [.. urls]));
        _pendingUrls += urls.Count;
        if (_streaming || _pendingUrls > BufferedUrls)
        {
            _streaming = true;
            await FlushAsync(cancellationToken);
        }
    }

    public async Task CloseFileAsync(SitemapFileRecord file, CancellationToken cancellationToken)
    {
        if (_unwritten.Remove(file.Id))
        {
            _pending.Add(new Write(file, null));
        }
        else if (!_written.Remove(file.Id, out var written) || written == file)
        {
            return;
        }
        else if (_pending.Find(w => w.Urls is null && w.File.Id == file.Id) is { } waiting)
        {
            // Its row is not written yet: it goes in with the figures of the close.
            waiting.File = file;
        }
        else
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
            var (url, kind) = (Truncate(file.Url.AbsoluteUri, 2048), EnumNames.ToWire(file.Kind));
            var error = file.Error is null ? null : Truncate(file.Error, 1000);
            await RawStatements.ExecuteAsync(db, $"""
                UPDATE sitemap_files
                SET url = {url}, kind = {kind}, http_status = {file.HttpStatus}, bytes = {file.Bytes}, gzipped = {file.Gzipped},
                    url_count = {file.UrlCount}, fetch_ms = {file.FetchMs}, truncated = {file.Truncated}, error = {error}
                WHERE id = {file.Id}
                """, cancellationToken);
            return;
        }

        if (_streaming)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// Writes what this collection still holds, in its own transaction: for a collection too large to wait for its job's
    /// completion, and for one stored without a job.
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await WriteAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _pending.Clear();
        _pendingUrls = 0;
    }

    /// Writes what this collection still holds in the transaction open on <paramref name="db"/>: the job's completion.
    /// What it wrote stays held until the caller's transaction is known to have committed: a completion stored with
    /// others whose transaction rolled back is stored again on its own (`JobQueue.CompleteAsync`), rows and all.
    internal async Task WriteAsync(ScraperSkyDbContext db, CancellationToken cancellationToken)
    {
        foreach (var write in _pending)
        {
            if (write.Urls is not { } urls)
            {
                await InsertFileAsync(db, write.File, cancellationToken);
            }
            else
            {
                var target = new SitemapUrlTarget(_tenantId, _domain, write.File.Id);
                if (db.IsPostgres)
                {
                    await PostgresUrlWriter.WriteAsync(db, target, urls, cancellationToken);
                }
                else
                {
                    SqliteUrlWriter.Write((SqliteConnection)db.Database.GetDbConnection(), target, urls, cancellationToken);
                }
            }
        }
    }

    // File rows are written with raw statements: EF Core's change tracking (`Add` + `SaveChanges`) and its query
    // pipeline (`ExecuteUpdateAsync`) cost several times the statement's own CPU for a row per sitemap file.
    private async Task InsertFileAsync(ScraperSkyDbContext db, SitemapFileRecord file, CancellationToken cancellationToken)
    {
        var (url, kind, discovery) = (Truncate(file.Url.AbsoluteUri, 2048), EnumNames.ToWire(file.Kind), EnumNames.ToWire(file.Discovery));
        var error = file.Error is null ? null : Truncate(file.Error, 1000);
        await RawStatements.DeferAsync(db, $"""
            INSERT INTO sitemap_files (id, tenant_id, domain, url, kind, discovery, parent_id, bytes, gzipped, url_count,
                                       http_status, fetch_ms, truncated, error, collected_at)
            VALUES ({file.Id}, {_tenantId}, {_domain}, {url}, {kind}, {discovery}, {file.ParentId}, {file.Bytes}, {file.Gzipped},
                    {file.UrlCount}, {file.HttpStatus}, {file.FetchMs}, {file.Truncated}, {error}, {CollectedAt})
            """, cancellationToken);
    }

    // What the collection holds is written by the job's completion; earlier collections are retired in the same
    // transaction.
    public Task CompleteAsync(SitemapSummary summary, CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

internal sealed record SitemapUrlTarget(Guid TenantId, string Domain, Guid FileId);
