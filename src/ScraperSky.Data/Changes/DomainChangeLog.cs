using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Domains;
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
    /// The read of the domain's scan before <paramref name="scan"/> (newest first), with its result, to pass to
    /// <see cref="RecordCompletedAsync"/> or <see cref="RecordFailedAsync"/>: a raw read (see RawStatements.ReadAsync),
    /// made with the other reads of a group of completions (DomainStore). EF Core's compiled query had cost more CPU
    /// than the statement, which SQLite parsed anew each time.
    public static RawRead PreviousScan(DomainScan scan, Action<PreviousScan> found) => new($"""
        SELECT id, status, result FROM domain_scans
        WHERE tenant_id = {scan.TenantId} AND domain = {scan.Domain} AND id <> {scan.Id}
        ORDER BY scanned_at DESC, id DESC LIMIT 1
        """, row => found(new PreviousScan(
            row.GetGuid(0), EnumNames.FromWire<JobStatus>(row.GetString(1)), row.GetNullableString(2))));

    /// The changes <paramref name="scan"/>, completed, shows against <paramref name="last"/>, the domain's scan before it
    /// (<see cref="PreviousScan"/>), and the technologies it saw.
    public static async Task<IReadOnlyList<DomainChange>> RecordCompletedAsync(
        ScraperSkyDbContext db, DomainScan scan, SiteMetadata metadata, PreviousScan? last, DateTime now,
        CancellationToken cancellationToken)
    {
        await RecordTechnologiesAsync(db, scan.TenantId, scan.Domain, metadata, now, cancellationToken);
        if (last is null)
        {
            return [];
        }

        var detected = new List<(DetectedChange Change, Guid Previous)>();
        if (last.Status == JobStatus.Failed)
        {
            detected.Add((new DetectedChange(ChangeTypes.Recovered, "status", "failed", "completed"), last.Id));
        }

        // The last scan is the last completed one when it completed: read with it, not again.
        var completed = last is { Status: JobStatus.Completed, Result: not null }
            ? new PreviousResult(last.Id, last.Result)
            : await LastCompletedAsync(db, scan, cancellationToken);
        if (completed is not null && JsonSerializer.Deserialize<SiteMetadata>(completed.Result, ScanJson.Options) is { } previous)
        {
            detected.AddRange(ChangeDetector.Compare(previous, metadata).Select(c => (c, completed.Id)));
        }

        return await SaveAsync(db, scan.TenantId, scan.Domain, scan.Id, detected, now, cancellationToken);
    }

    /// The change <paramref name="scan"/>, failed with <paramref name="error"/>, shows against <paramref name="last"/>.
    public static async Task<IReadOnlyList<DomainChange>> RecordFailedAsync(
        ScraperSkyDbContext db, DomainScan scan, string error, PreviousScan? last, DateTime now, CancellationToken cancellationToken)
    {
        if (last is null || last.Status != JobStatus.Completed)
        {
            return [];
        }

        var change = new DetectedChange(ChangeTypes.BecameUnreachable, "status", "completed", error);
        return await SaveAsync(db, scan.TenantId, scan.Domain, scan.Id, [(change, last.Id)], now, cancellationToken);
    }

    private sealed record PreviousResult(Guid Id, string Result);

    private static readonly string CompletedStatus = EnumNames.ToWire(JobStatus.Completed);

    /// The domain's last completed scan before this one: after failures, the one whose facts the recovery compares with.
    private static async Task<PreviousResult?> LastCompletedAsync(ScraperSkyDbContext db, DomainScan scan, CancellationToken cancellationToken)
    {
        var rows = await RawStatements.ReadAsync(db, $"""
            SELECT id, result FROM domain_scans
            WHERE tenant_id = {scan.TenantId} AND domain = {scan.Domain} AND id <> {scan.Id} AND status = {CompletedStatus}
              AND result IS NOT NULL
            ORDER BY scanned_at DESC, id DESC LIMIT 1
            """, static row => new PreviousResult(row.GetGuid(0), row.GetString(1)), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
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
        // Raw inserts (see RawStatements): EF Core's SaveChanges wrapped them in a savepoint of its own and ran its update
        // pipeline for a few rows; nothing reads the rows' generated ids back.
        foreach (var row in rows)
        {
            await RawStatements.DeferAsync(db, $"""
                INSERT INTO domain_changes (tenant_id, domain, type, field, from_value, to_value, scan_id, previous_scan_id, detected_at)
                VALUES ({row.TenantId}, {row.Domain}, {row.Type}, {row.Field}, {row.From}, {row.To}, {row.ScanId}, {row.PreviousScanId},
                        {row.DetectedAt})
                """, cancellationToken);
        }

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
            await RawStatements.DeferAsync(db, $"""
                INSERT INTO domain_technologies (tenant_id, domain, name, first_seen_at, last_seen_at)
                SELECT {tenantId}, {domain}, name, {now}, {now} FROM unnest({names}) AS name
                ON CONFLICT (tenant_id, domain, name) DO UPDATE SET last_seen_at = excluded.last_seen_at
                """, cancellationToken);
        }
        else
        {
            // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
            var json = ListParameter.JsonArray(names);
            await RawStatements.ExecuteAsync(db, $"""
                INSERT INTO domain_technologies (tenant_id, domain, name, first_seen_at, last_seen_at)
                SELECT {tenantId}, {domain}, value, {now}, {now} FROM json_each({json}) WHERE true
                ON CONFLICT (tenant_id, domain, name) DO UPDATE SET last_seen_at = excluded.last_seen_at
                """, cancellationToken);
        }
    }
}

/// A domain's scan before the one being recorded (<see cref="DomainChangeLog.PreviousScan"/>), with its result.
internal sealed record PreviousScan(Guid Id, JobStatus Status, string? Result);
