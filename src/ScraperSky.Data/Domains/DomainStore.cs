using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Changes;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Webhooks;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Domains;

/// The one writer of scan results, called by the job queue inside the transaction that ends a job: it appends the
/// scan to the domain's history (<see cref="DomainScan"/>) and brings the domain's current facts up to date. A scan
/// that read the site's sitemaps also retires the files earlier collections of the domain stored. The changes since
/// the domain's previous scan and the webhook deliveries of the scan are written in the same transaction.
internal static class DomainStore
{
    public static async Task RecordCompletedAsync(
        ScraperSkyDbContext db, ClaimedJob job, SiteMetadata metadata, DateTime? sitemapsCollectedAt, DateTime now,
        CancellationToken cancellationToken)
    {
        var scanId = Guid.CreateVersion7();
        var scan = new DomainScan
        {
            Id = scanId,
            TenantId = job.TenantId,
            Domain = job.Domain,
            JobId = job.Id,
            BatchId = job.BatchId,
            Status = JobStatus.Completed,
            ScannedAt = now,
            Result = StoredText.Json(metadata),
        };
        await InsertScanAsync(db, scan, cancellationToken);
        var changes = await DomainChangeLog.RecordCompletedAsync(db, job.TenantId, job.Domain, scanId, metadata, now, cancellationToken);
        await WebhookOutbox.ScanEndedAsync(db, job.TenantId, scan, changes, now, cancellationToken);

        var facts = DomainFacts.From(metadata);
        var emails = StoredText.Clean(facts.Emails);
        var phones = StoredText.Clean(facts.Phones);
        var technologies = StoredText.Clean(facts.Technologies);
        var technologyNames = StoredText.Clean(facts.TechnologyNames);
        var categories = StoredText.Clean(facts.TechnologyCategories);
        var directors = StoredText.Clean(facts.ManagingDirectors);
        var roleEmails = StoredText.Clean(facts.RoleEmails);
        var personalEmails = StoredText.Clean(facts.PersonalEmails);
        await EnsureRowAsync(db, job.TenantId, job.Domain, now, cancellationToken);
        await Row(db, job).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Title, StoredText.Clean(facts.Title))
            .SetProperty(d => d.Description, StoredText.Clean(facts.Description))
            .SetProperty(d => d.Language, StoredText.Clean(facts.Language))
            .SetProperty(d => d.FinalUrl, StoredText.Clean(facts.FinalUrl))
            .SetProperty(d => d.FaviconUrl, StoredText.Clean(facts.FaviconUrl))
            .SetProperty(d => d.LogoUrl, StoredText.Clean(facts.LogoUrl))
            .SetProperty(d => d.Emails, emails)
            .SetProperty(d => d.Phones, phones)
            .SetProperty(d => d.FacebookUrl, StoredText.Clean(facts.Facebook))
            .SetProperty(d => d.TwitterUrl, StoredText.Clean(facts.Twitter))
            .SetProperty(d => d.LinkedinUrl, StoredText.Clean(facts.Linkedin))
            .SetProperty(d => d.InstagramUrl, StoredText.Clean(facts.Instagram))
            .SetProperty(d => d.YoutubeUrl, StoredText.Clean(facts.Youtube))
            .SetProperty(d => d.TiktokUrl, StoredText.Clean(facts.Tiktok))
            .SetProperty(d => d.PinterestUrl, StoredText.Clean(facts.Pinterest))
            .SetProperty(d => d.IsWordpress, facts.IsWordpress)
            .SetProperty(d => d.WordpressVersion, StoredText.Clean(facts.WordpressVersion))
            .SetProperty(d => d.HasElementor, facts.HasElementor)
            .SetProperty(d => d.Technologies, technologies)
            .SetProperty(d => d.TechnologyNames, technologyNames)
            .SetProperty(d => d.TechnologyCategories, categories)
            .SetProperty(d => d.SitemapUrlCount, d => facts.SitemapUrls ?? d.SitemapUrlCount)
            .SetProperty(d => d.CompanyName, StoredText.Clean(facts.CompanyName))
            .SetProperty(d => d.Country, StoredText.Clean(facts.Country))
            .SetProperty(d => d.VatId, StoredText.Clean(facts.VatId))
            .SetProperty(d => d.ManagingDirectors, directors)
            .SetProperty(d => d.RoleEmails, roleEmails)
            .SetProperty(d => d.PersonalEmails, personalEmails)
            .SetProperty(d => d.LanguageSource, StoredText.Clean(facts.LanguageSource))
            .SetProperty(d => d.LastStatus, JobStatus.Completed)
            .SetProperty(d => d.LastError, (string?)null)
            .SetProperty(d => d.LastJobId, job.Id)
            .SetProperty(d => d.LastScanId, scanId)
            .SetProperty(d => d.FirstScanAt, d => d.FirstScanAt ?? now)
            .SetProperty(d => d.LastScanAt, now)
            .SetProperty(d => d.LastCompletedAt, now)
            .SetProperty(d => d.ScanCount, d => d.ScanCount + 1)
            .SetProperty(d => d.UpdatedAt, now), cancellationToken);

        if (metadata.Sitemaps is not null && sitemapsCollectedAt is { } collectedAt)
        {
            // URLs go with their files (ON DELETE CASCADE); a URL this scan listed again was moved to its own file.
            await db.SitemapFiles
                .Where(f => f.TenantId == job.TenantId && f.Domain == job.Domain && f.CollectedAt < collectedAt)
                .ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// A scan that ended failed: history and status change, the facts of the last completed scan stay.
    public static async Task RecordFailedAsync(
        ScraperSkyDbContext db, Guid tenantId, string domain, Guid jobId, Guid? batchId, string error, DateTime now,
        CancellationToken cancellationToken)
    {
        var scanId = Guid.CreateVersion7();
        var scan = new DomainScan
        {
            Id = scanId,
            TenantId = tenantId,
            Domain = domain,
            JobId = jobId,
            BatchId = batchId,
            Status = JobStatus.Failed,
            ScannedAt = now,
            Error = error,
        };
        await InsertScanAsync(db, scan, cancellationToken);
        var changes = await DomainChangeLog.RecordFailedAsync(db, tenantId, domain, scanId, error, now, cancellationToken);
        await WebhookOutbox.ScanEndedAsync(db, tenantId, scan, changes, now, cancellationToken);

        await EnsureRowAsync(db, tenantId, domain, now, cancellationToken);
        await db.Domains.Where(d => d.TenantId == tenantId && d.Name == domain).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.LastStatus, JobStatus.Failed)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.LastJobId, jobId)
            .SetProperty(d => d.LastScanId, scanId)
            .SetProperty(d => d.FirstScanAt, d => d.FirstScanAt ?? now)
            .SetProperty(d => d.LastScanAt, now)
            .SetProperty(d => d.ScanCount, d => d.ScanCount + 1)
            .SetProperty(d => d.UpdatedAt, now), cancellationToken);
    }

    /// A raw INSERT: EF Core's `Add` + `SaveChanges` of this one row (change tracker, snapshots, batching) cost more
    /// CPU than the statement, on every ended job.
    private static async Task InsertScanAsync(ScraperSkyDbContext db, DomainScan scan, CancellationToken cancellationToken)
    {
        var status = EnumNames.ToWire(scan.Status);
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO domain_scans (id, tenant_id, domain, job_id, batch_id, status, scanned_at, result, error)
                VALUES ({scan.Id}, {scan.TenantId}, {scan.Domain}, {scan.JobId}, {scan.BatchId}, {status}, {scan.ScannedAt},
                        CAST({scan.Result} AS jsonb), {scan.Error})
                """, cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO domain_scans (id, tenant_id, domain, job_id, batch_id, status, scanned_at, result, error)
                VALUES ({scan.Id}, {scan.TenantId}, {scan.Domain}, {scan.JobId}, {scan.BatchId}, {status}, {scan.ScannedAt},
                        {scan.Result}, {scan.Error})
                """, cancellationToken);
        }
    }

    private static IQueryable<Domain> Row(ScraperSkyDbContext db, ClaimedJob job) =>
        db.Domains.Where(d => d.TenantId == job.TenantId && d.Name == job.Domain);

    /// Creates the (tenant, domain) row if it is missing. ON CONFLICT DO NOTHING lets two jobs of one domain finish
    /// at the same moment without a unique-key failure; the update that follows fills the row either way.
    private static async Task EnsureRowAsync(ScraperSkyDbContext db, Guid tenantId, string name, DateTime now, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var failed = EnumNames.ToWire(JobStatus.Failed);
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO domains (id, tenant_id, name, emails, phones, is_wordpress, has_elementor, technologies,
                                     technology_names, technology_categories, managing_directors, role_emails,
                                     personal_emails, last_status, scan_count, created_at, updated_at)
                VALUES ({id}, {tenantId}, {name}, ARRAY[]::text[], ARRAY[]::text[], FALSE, FALSE, ARRAY[]::text[],
                        ARRAY[]::text[], ARRAY[]::text[], ARRAY[]::text[], ARRAY[]::text[], ARRAY[]::text[], {failed}, 0,
                        {now}, {now})
                ON CONFLICT (tenant_id, name) DO NOTHING
                """, cancellationToken);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO domains (id, tenant_id, name, emails, phones, is_wordpress, has_elementor, technologies,
                                     technology_names, technology_categories, managing_directors, role_emails,
                                     personal_emails, last_status, scan_count, created_at, updated_at)
                VALUES ({id}, {tenantId}, {name}, '[]', '[]', 0, 0, '[]', '[]', '[]', '[]', '[]', '[]', {failed}, 0,
                        {now}, {now})
                ON CONFLICT (tenant_id, name) DO NOTHING
                """, cancellationToken);
        }
    }
}
