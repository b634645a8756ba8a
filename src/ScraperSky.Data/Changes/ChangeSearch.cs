using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Changes;

/// What a change listing filters on; every filter is optional and they combine with AND.
public sealed record ChangeFilter
{
    /// A normalized domain name.
    public string? Domain { get; init; }

    /// One of <see cref="ChangeTypes.All"/>.
    public string? Type { get; init; }

    /// Changes detected at or after this time.
    public DateTime? Since { get; init; }
}

/// A tenant's changes, filtered, newest first (by id, which also pages them): the one query behind the API's listings
/// and the CLI's `changes`.
public static class ChangeSearch
{
    public static IOrderedQueryable<DomainChange> Filter(ScraperSkyDbContext db, Guid tenantId, ChangeFilter filter)
    {
        var changes = db.DomainChanges.AsNoTracking().Where(c => c.TenantId == tenantId);
        if (filter.Domain is { } domain)
        {
            changes = changes.Where(c => c.Domain == domain);
        }

        if (filter.Type is { } type)
        {
            changes = changes.Where(c => c.Type == type);
        }

        if (filter.Since is { } since)
        {
            var from = since.ToUniversalTime();
            changes = changes.Where(c => c.DetectedAt >= from);
        }

        return changes.OrderByDescending(c => c.Id);
    }
}
