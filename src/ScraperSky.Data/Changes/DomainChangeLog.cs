using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Changes;

/// Writes the changes a scan reveals, inside the transaction that records the scan (<c>DomainStore</c>), comparing it
/// with the domain's scans before it. The first scan of a domain records none. A failed scan right after a completed
/// one is `became_unreachable` (once: later failures add nothing); a completed scan right after failures is
/// `recovered`, and its facts are compared with the last completed scan before them.
internal static class DomainChangeLog
{
    public static async Task<IReadOnlyList<DomainChange>> RecordCompletedAsync(
        ScraperSkyDbContext db, Guid tenantId, string domain, Guid scanId, SiteMetadata metadata, DateTime now,
        CancellationToken cancellationToken)
    {
        await RecordTechnologiesAsync(db, tenantId, domain, metadata, now, cancellationToken);
        var last = await Queries.Get(db).Last(db, tenantId, domain, scanId, cancellationToken);
        if (last is null)
        {
            return [];
        }

        var detected = new List<(DetectedChange Change, Guid Previous)>();
        if (last.Status == JobStatus.Failed)
        {
            detected.Add((new DetectedChange(ChangeTypes.Recovered, "status", "failed", "completed"), last.Id));
        }

        var completed = await Queries.Get(db).LastCompleted(db, tenantId, domain, scanId, cancellationToken);
        if (completed is not null && JsonSerializer.Deserialize<SiteMetadata>(completed.Result, ScanJson.Options) is { } previous)
        {
            detected.AddRange(ChangeDetector.Compare(previous, metadata).Select(c => (c, completed.Id)));
        }

        return await SaveAsync(db, tenantId, domain, scanId, detected, now, cancellationToken);
    }

    public static async Task<IReadOnlyList<DomainChange>> RecordFailedAsync(
        ScraperSkyDbContext db, Guid tenantId, string domain, Guid scanId, string error, DateTime now,
        CancellationToken cancellationToken)
    {
        var last = await Queries.Get(db).Last(db, tenantId, domain, scanId, cancellationToken);
        if (last is null || last.Status != JobStatus.Completed)
        {
            return [];
        }

        var change = new DetectedChange(ChangeTypes.BecameUnreachable, "status", "completed", error);
        return await SaveAsync(db, tenantId, domain, scanId, [(change, last.Id)], now, cancellationToken);
    }

    private sealed record PreviousScan(Guid Id, JobStatus Status);

    private sealed record PreviousResult(Guid Id, string Result);

    /// The two reads of the domain's earlier scans, compiled once per model (as the status endpoint's query is): every
    /// ended job asks, and building the expression tree, extracting its parameters and looking it up in the query cache
    /// cost more CPU than running it. One per model, since a process may hold several.
    private sealed record Queries(
        Func<ScraperSkyDbContext, Guid, string, Guid, CancellationToken, Task<PreviousScan?>> Last,
        Func<ScraperSkyDbContext, Guid, string, Guid, CancellationToken, Task<PreviousResult?>> LastCompleted)
    {
        private static readonly ConditionalWeakTable<IModel, Queries> PerModel = [];

        // The domain's scans before this one, newest first. Written out in each query: a compiled query cannot call a
        // method that builds part of it.
        public static Queries Get(ScraperSkyDbContext db) => PerModel.GetValue(db.Model, static _ => new Queries(
            EF.CompileAsyncQuery((ScraperSkyDbContext db, Guid tenantId, string domain, Guid scanId, CancellationToken _) =>
                db.DomainScans.AsNoTracking()
                    .Where(s => s.TenantId == tenantId && s.Domain == domain && s.Id != scanId)
                    .OrderByDescending(s => s.ScannedAt).ThenByDescending(s => s.Id)
                    .Select(s => new PreviousScan(s.Id, s.Status)).FirstOrDefault()),
            EF.CompileAsyncQuery((ScraperSkyDbContext db, Guid tenantId, string domain, Guid scanId, CancellationToken _) =>
                db.DomainScans.AsNoTracking()
                    .Where(s => s.TenantId == tenantId && s.Domain == domain && s.Id != scanId
                                && s.Status == JobStatus.Completed && s.Result != null)
                    .OrderByDescending(s => s.ScannedAt).ThenByDescending(s => s.Id)
                    .Select(s => new PreviousResult(s.Id, s.Result!)).FirstOrDefault())));
    }

    private static async Task<IReadOnlyList<DomainChange>> SaveAsync(
        ScraperSkyDbContext db, Guid tenantId, string domain, Guid scanId, List<(DetectedChange Change, Guid Previous)> detected,
        DateTime now, CancellationToken cancellationToken)
    {
        if (detected.Count == 0)
        {
            return [];
        }

        var rows = detected.Select(d => new DomainChange
        {
            TenantId = tenantId,
            Domain = domain,
            Type = d.Change.Type,
            Field = d.Change.Field,
            From = StoredText.Clean(d.Change.From),
            To = StoredText.Clean(d.Change.To),
            ScanId = scanId,
            PreviousScanId = d.Previous,
            DetectedAt = now,
        }).ToList();
        db.DomainChanges.AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return rows;
    }

    /// First and last seen per technology: every technology the scan reports, whatever its confidence. One upsert for
    /// them all (names as an array parameter); a technology already known only moves its last sighting.
    private static async Task RecordTechnologiesAsync(
        ScraperSkyDbContext db, Guid tenantId, string domain, SiteMetadata metadata, DateTime now, CancellationToken cancellationToken)
    {
        var names = metadata.Technologies.Select(t => StoredText.Clean(t.Name)!).Distinct(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
        {
            return;
        }

        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO domain_technologies (tenant_id, domain, name, first_seen_at, last_seen_at)
                SELECT {tenantId}, {domain}, name, {now}, {now} FROM unnest({names}) AS name
                ON CONFLICT (tenant_id, domain, name) DO UPDATE SET last_seen_at = excluded.last_seen_at
                """, cancellationToken);
        }
        else
        {
            // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
            var json = JsonSerializer.Serialize(names);
            await RawStatements.ExecuteAsync(db, $"""
                INSERT INTO domain_technologies (tenant_id, domain, name, first_seen_at, last_seen_at)
                SELECT {tenantId}, {domain}, value, {now}, {now} FROM json_each({json}) WHERE true
                ON CONFLICT (tenant_id, domain, name) DO UPDATE SET last_seen_at = excluded.last_seen_at
                """, cancellationToken);
        }
    }
}
