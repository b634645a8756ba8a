using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning.Domains;

namespace ScraperSky.Data.Schedules;

/// The domains a schedule scans when it runs: its list, its batch's domains now, or the tenant's domains its filter
/// matches now. At most <paramref name="limit"/>; a longer target is cut and says so.
public static class ScheduleTargets
{
    public sealed record Resolved(IReadOnlyList<string> Domains, string? Note);

    public static async Task<Resolved> ResolveAsync(
        ScraperSkyDbContext db, Schedule schedule, int limit, CancellationToken cancellationToken)
    {
        List<string> domains;
        string what;
        if (schedule.SourceBatchId is { } batchId)
        {
            // The batch's valid entries in submission order; entries that were not domains stay out.
            var entries = await db.Jobs.AsNoTracking()
                .Where(j => j.BatchId == batchId && j.TenantId == schedule.TenantId)
                .OrderBy(j => j.Id).Select(j => j.Domain).ToListAsync(cancellationToken);
            domains = [.. entries.Where(e => DomainName.TryNormalize(e, out _)).Distinct(StringComparer.Ordinal)];
            what = $"batch {PublicIds.Format(BatchJob.PublicPrefix, batchId)}";
        }
        else if (schedule.Filter is { } filter)
        {
            domains = await DomainSearch.Filter(db, schedule.TenantId, ScheduleFilter.FromJson(filter))
                .AsNoTracking().OrderBy(d => d.Name).Select(d => d.Name).Take(limit + 1).ToListAsync(cancellationToken);
            what = "the filter";
        }
        else
        {
            domains = schedule.Domains;
            what = "the list";
        }

        if (domains.Count == 0)
        {
            return new Resolved([], $"Nothing to scan: {what} holds no domains.");
        }

        return domains.Count > limit
            ? new Resolved(domains[..limit], $"Cut to the first {limit} domains (Jobs:MaxBatchSize): {what} holds more.")
            : new Resolved(domains, null);
    }
}
