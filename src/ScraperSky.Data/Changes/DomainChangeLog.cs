using System.Text.Json;
using Microsoft.EntityFrameworkCore;
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
        var earlier = Earlier(db, tenantId, domain, scanId);
        var last = await earlier.Select(s => new { s.Id, s.Status }).FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return [];
        }

        var detected = new List<(DetectedChange Change, Guid Previous)>();
        if (last.Status == JobStatus.Failed)
        {
            detected.Add((new DetectedChange(ChangeTypes.Recovered, "status", "failed", "completed"), last.Id));
        }

        var completed = await earlier.Where(s => s.Status == JobStatus.Completed && s.Result != null)
            .Select(s => new { s.Id, s.Result }).FirstOrDefaultAsync(cancellationToken);
        if (completed is not null && JsonSerializer.Deserialize<SiteMetadata>(completed.Result!, ScanJson.Options) is { } previous)
        {
            detected.AddRange(ChangeDetector.Compare(previous, metadata).Select(c => (c, completed.Id)));
        }

        return await SaveAsync(db, tenantId, domain, scanId, detected, now, cancellationToken);
    }

    public static async Task<IReadOnlyList<DomainChange>> RecordFailedAsync(
        ScraperSkyDbContext db, Guid tenantId, string domain, Guid scanId, string error, DateTime now,
        CancellationToken cancellationToken)
    {
        var last = await Earlier(db, tenantId, domain, scanId).Select(s => new { s.Id, s.Status }).FirstOrDefaultAsync(cancellationToken);
        if (last is null || last.Status != JobStatus.Completed)
        {
            return [];
        }

        var change = new DetectedChange(ChangeTypes.BecameUnreachable, "status", "completed", error);
        return await SaveAsync(db, tenantId, domain, scanId, [(change, last.Id)], now, cancellationToken);
    }

    /// The domain's scans before this one, newest first.
    private static IQueryable<DomainScan> Earlier(ScraperSkyDbContext db, Guid tenantId, string domain, Guid scanId) =>
        db.DomainScans.AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.Domain == domain && s.Id != scanId)
            .OrderByDescending(s => s.ScannedAt).ThenByDescending(s => s.Id);

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
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO domain_technologies (tenant_id, domain, name, first_seen_at, last_seen_at)
                SELECT {tenantId}, {domain}, value, {now}, {now} FROM json_each({json}) WHERE true
                ON CONFLICT (tenant_id, domain, name) DO UPDATE SET last_seen_at = excluded.last_seen_at
                """, cancellationToken);
        }
    }
}
