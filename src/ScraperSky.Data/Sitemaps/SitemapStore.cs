using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Sitemaps;

/// Stores one collection of a domain's sitemaps: file rows through EF Core, URL rows in bulk (prepared batched
/// upserts on SQLite, binary COPY and one upsert per batch on PostgreSQL), each batch in its own transaction. The
/// transaction that completes the scan's job retires the files of earlier collections of the domain, and with them the
/// URLs no longer listed (`DomainStore`, given <see cref="CollectedAt"/>); a scan that fails half-way leaves the earlier
/// collection in place next to what it wrote, and the next successful one tidies both.
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

    public async Task OpenFileAsync(SitemapFileRecord file, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        db.SitemapFiles.Add(new SitemapFile
        {
            Id = file.Id,
            TenantId = _tenantId,
            Domain = _domain,
            Url = Truncate(file.Url.AbsoluteUri, 2048),
            Kind = file.Kind,
            Discovery = file.Discovery,
            ParentId = file.ParentId,
            HttpStatus = file.HttpStatus,
            CollectedAt = CollectedAt,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task AddUrlsAsync(SitemapFileRecord file, IReadOnlyList<SitemapUrlEntry> urls, CancellationToken cancellationToken)
    {
        if (urls.Count == 0)
        {
            return;
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var target = new SitemapUrlTarget(_tenantId, _domain, file.Id);
        if (db.IsPostgres)
        {
            await PostgresUrlWriter.WriteAsync(db, target, urls, cancellationToken);
        }
        else
        {
            await SqliteUrlWriter.WriteAsync(db, target, urls, cancellationToken);
        }
    }

    public async Task CloseFileAsync(SitemapFileRecord file, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var url = Truncate(file.Url.AbsoluteUri, 2048);
        var error = file.Error is null ? null : Truncate(file.Error, 1000);
        await db.SitemapFiles.Where(f => f.Id == file.Id).ExecuteUpdateAsync(set => set
            .SetProperty(f => f.Url, url)
            .SetProperty(f => f.Kind, file.Kind)
            .SetProperty(f => f.HttpStatus, file.HttpStatus)
            .SetProperty(f => f.Bytes, file.Bytes)
            .SetProperty(f => f.Gzipped, file.Gzipped)
            .SetProperty(f => f.UrlCount, file.UrlCount)
            .SetProperty(f => f.FetchMs, file.FetchMs)
            .SetProperty(f => f.Truncated, file.Truncated)
            .SetProperty(f => f.Error, error), cancellationToken);
    }

    // Earlier collections are retired when the scan's result is stored, in the same transaction.
    public Task CompleteAsync(SitemapSummary summary, CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

internal sealed record SitemapUrlTarget(Guid TenantId, string Domain, Guid FileId);
