using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Sitemaps;

/// Stores one collection of a domain's sitemaps: file rows by raw statements (each in the transaction of its file's
/// first URLs), URL rows in bulk (prepared batched upserts on SQLite, one upsert of array parameters per batch on
/// PostgreSQL), each batch in its own transaction. The transaction that completes the scan's job retires the files of
/// earlier collections of the domain, and with them the URLs no longer listed (`DomainStore`, given
/// <see cref="CollectedAt"/>); a scan that fails half-way leaves the earlier collection in place next to what it wrote,
/// and the next successful one tidies both.
public sealed class SitemapStore : ISitemapSink
{
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

    // The row as written, per open file: a close that changes nothing writes nothing.
    private readonly Dictionary<Guid, SitemapFileRecord> _written = [];

    // A file's row is written with its first URLs rather than when it is opened, and a close that brings no new figures
    // is skipped: a sitemap of one batch (the common case) is one transaction instead of three.
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

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var target = new SitemapUrlTarget(_tenantId, _domain, file.Id);
        Func<CancellationToken, Task>? insertFile = _unwritten.ContainsKey(file.Id) ? ct => InsertFileAsync(db, file, ct) : null;
        if (db.IsPostgres)
        {
            await PostgresUrlWriter.WriteAsync(db, target, urls, insertFile, cancellationToken);
        }
        else
        {
            await SqliteUrlWriter.WriteAsync(db, target, urls, insertFile, cancellationToken);
        }

        if (_unwritten.Remove(file.Id))
        {
            _written[file.Id] = file;
        }
    }

    public async Task CloseFileAsync(SitemapFileRecord file, CancellationToken cancellationToken)
    {
        if (_unwritten.Remove(file.Id))
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
            await InsertFileAsync(db, file, cancellationToken);
            return;
        }

        if (_written.Remove(file.Id, out var written) && written == file)
        {
            return;
        }

        await using (var db = await _contexts.CreateDbContextAsync(cancellationToken))
        {
            var (url, kind) = (Truncate(file.Url.AbsoluteUri, 2048), EnumNames.ToWire(file.Kind));
            var error = file.Error is null ? null : Truncate(file.Error, 1000);
            await RawStatements.ExecuteAsync(db, $"""
                UPDATE sitemap_files
                SET url = {url}, kind = {kind}, http_status = {file.HttpStatus}, bytes = {file.Bytes}, gzipped = {file.Gzipped},
                    url_count = {file.UrlCount}, fetch_ms = {file.FetchMs}, truncated = {file.Truncated}, error = {error}
                WHERE id = {file.Id}
                """, cancellationToken);
        }
    }

    // File rows are written with raw statements: EF Core's change tracking (`Add` + `SaveChanges`) and its query
    // pipeline (`ExecuteUpdateAsync`) cost several times the statement's own CPU for a row per sitemap file.
    private async Task InsertFileAsync(ScraperSkyDbContext db, SitemapFileRecord file, CancellationToken cancellationToken)
    {
        var (url, kind, discovery) = (Truncate(file.Url.AbsoluteUri, 2048), EnumNames.ToWire(file.Kind), EnumNames.ToWire(file.Discovery));
        var error = file.Error is null ? null : Truncate(file.Error, 1000);
        await RawStatements.ExecuteAsync(db, $"""
            INSERT INTO sitemap_files (id, tenant_id, domain, url, kind, discovery, parent_id, bytes, gzipped, url_count,
                                       http_status, fetch_ms, truncated, error, collected_at)
            VALUES ({file.Id}, {_tenantId}, {_domain}, {url}, {kind}, {discovery}, {file.ParentId}, {file.Bytes}, {file.Gzipped},
                    {file.UrlCount}, {file.HttpStatus}, {file.FetchMs}, {file.Truncated}, {error}, {CollectedAt})
            """, cancellationToken);
    }

    // Earlier collections are retired when the scan's result is stored, in the same transaction.
    public Task CompleteAsync(SitemapSummary summary, CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

internal sealed record SitemapUrlTarget(Guid TenantId, string Domain, Guid FileId);
