using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ScraperSky.Data.Changes;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Webhooks;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Domains;

/// A completed job's scan to record: what it found, and when its sitemap collection (if it read the sitemaps) began.
internal sealed record CompletedScan(ClaimedJob Job, SiteMetadata Metadata, DateTime? SitemapsCollectedAt);

/// The one writer of scan results, called by the job queue inside the transaction that ends a job: it appends the
/// scan to the domain's history (<see cref="DomainScan"/>) and brings the domain's current facts up to date. A scan
/// that read the site's sitemaps also retires the files earlier collections of the domain stored. The changes since
/// the domain's previous scan and the webhook deliveries of the scan are written in the same transaction.
internal static class DomainStore
{
    /// Records <paramref name="scans"/>, each of a different domain, in steps for them all: the scan rows, then one
    /// read (one round trip on PostgreSQL) of every domain's previous scan and of the tenants' webhooks, then the
    /// changes, the webhook deliveries and the domain rows.
    public static async Task RecordCompletedAsync(
        ScraperSkyDbContext db, IReadOnlyList<CompletedScan> scans, DateTime now, CancellationToken cancellationToken)
    {
        var recorded = new DomainScan[scans.Count];
        var previous = new PreviousScan?[scans.Count];
        var reads = new List<RawRead>(scans.Count + 1);
        for (var i = 0; i < scans.Count; i++)
        {
            var (job, metadata, _) = scans[i];
            var scan = recorded[i] = new DomainScan
            {
                Id = Guid.CreateVersion7(),
                TenantId = job.TenantId,
                Domain = job.Domain,
                JobId = job.Id,
                BatchId = job.BatchId,
                Status = JobStatus.Completed,
                ScannedAt = now,
            };
            // The bytes the scanner measured the result as, when it did (ScanResultSize.Fit), stored as they are.
            await InsertScanAsync(db, scan, StoredText.CleanJson(ScanResultSize.Utf8Json(metadata)), cancellationToken);
            var index = i;
            reads.Add(DomainChangeLog.PreviousScan(scan, found => previous[index] = found));
        }

        reads.AddRange(WebhookOutbox.SubscribedReads(db, scans.Select(s => s.Job.TenantId)));
        await RawStatements.ReadEachAsync(db, reads, cancellationToken);

        for (var i = 0; i < scans.Count; i++)
        {
            var ((job, metadata, sitemapsCollectedAt), scan) = (scans[i], recorded[i]);
            var changes = await DomainChangeLog.RecordCompletedAsync(db, scan, metadata, previous[i], now, cancellationToken);
            await WebhookOutbox.ScanEndedAsync(db, job.TenantId, scan, changes, now, cancellationToken);

            await UpsertFactsAsync(db, job, scan.Id, DomainFacts.From(metadata), now, cancellationToken);

            if (metadata.Sitemaps is not null && sitemapsCollectedAt is { } collectedAt)
            {
                // URLs go with their files (ON DELETE CASCADE); a URL this scan listed again was moved to its own file.
                await RawStatements.DeferAsync(db, $"""
                    DELETE FROM sitemap_files WHERE tenant_id = {job.TenantId} AND domain = {job.Domain} AND collected_at < {collectedAt}
                    """, cancellationToken);
            }
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
        await InsertScanAsync(db, scan, null, cancellationToken);
        PreviousScan? previous = null;
        await RawStatements.ReadEachAsync(
            db, [DomainChangeLog.PreviousScan(scan, found => previous = found), .. WebhookOutbox.SubscribedReads(db, [tenantId])],
            cancellationToken);
        var changes = await DomainChangeLog.RecordFailedAsync(db, scan, error, previous, now, cancellationToken);
        await WebhookOutbox.ScanEndedAsync(db, tenantId, scan, changes, now, cancellationToken);

        await UpsertFailureAsync(db, tenantId, domain, jobId, scanId, error, now, cancellationToken);
    }

    /// A raw INSERT: EF Core's `Add` + `SaveChanges` of this one row (change tracker, snapshots, batching) cost more
    /// CPU than the statement, on every ended job. The result goes in as the UTF-8 JSON it was written as: jsonb on
    /// PostgreSQL, text on SQLite.
    private static async Task InsertScanAsync(ScraperSkyDbContext db, DomainScan scan, byte[]? result, CancellationToken cancellationToken)
    {
        var status = EnumNames.ToWire(scan.Status);
        if (db.IsPostgres)
        {
            var json = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)result ?? DBNull.Value };
            await RawStatements.DeferAsync(db, $"""
                INSERT INTO domain_scans (id, tenant_id, domain, job_id, batch_id, status, scanned_at, result, error)
                VALUES ({scan.Id}, {scan.TenantId}, {scan.Domain}, {scan.JobId}, {scan.BatchId}, {status}, {scan.ScannedAt},
                        {json}, {scan.Error})
                """, cancellationToken);
        }
        else
        {
            await RawStatements.ExecuteAsync(db, $"""
                INSERT INTO domain_scans (id, tenant_id, domain, job_id, batch_id, status, scanned_at, result, error)
                VALUES ({scan.Id}, {scan.TenantId}, {scan.Domain}, {scan.JobId}, {scan.BatchId}, {status}, {scan.ScannedAt},
                        {(result is null ? null : new Utf8Text(result))}, {scan.Error})
                """, cancellationToken);
        }
    }

    /// The domain row with this scan's facts in one statement: inserted when the domain is new, else updated (ON
    /// CONFLICT, so two jobs of one domain ending at the same moment share one row). Raw SQL, one text for both
    /// providers: `ExecuteUpdateAsync` with forty setters ran EF Core's query pipeline (parameter extraction and a cache
    /// key over the whole setter tree) on every completion, after a second statement had made sure the row existed.
    private static async Task UpsertFactsAsync(
        ScraperSkyDbContext db, ClaimedJob job, Guid scanId, DomainFacts facts, DateTime now, CancellationToken cancellationToken)
    {
        var list = ListParameter.For(db);
        var (id, status) = (Guid.CreateVersion7(), EnumNames.ToWire(JobStatus.Completed));
        var (title, description, language, finalUrl, faviconUrl, logoUrl) = (StoredText.Clean(facts.Title),
            StoredText.Clean(facts.Description), StoredText.Clean(facts.Language), StoredText.Clean(facts.FinalUrl),
            StoredText.Clean(facts.FaviconUrl), StoredText.Clean(facts.LogoUrl));
        var (facebook, twitter, linkedin, instagram, youtube, tiktok, pinterest) = (StoredText.Clean(facts.Facebook),
            StoredText.Clean(facts.Twitter), StoredText.Clean(facts.Linkedin), StoredText.Clean(facts.Instagram),
            StoredText.Clean(facts.Youtube), StoredText.Clean(facts.Tiktok), StoredText.Clean(facts.Pinterest));
        var (wordpressVersion, companyName, country, vatId, languageSource) = (StoredText.Clean(facts.WordpressVersion),
            StoredText.Clean(facts.CompanyName), StoredText.Clean(facts.Country), StoredText.Clean(facts.VatId),
            StoredText.Clean(facts.LanguageSource));
        var (emails, phones, technologies, technologyNames, categories, directors, roleEmails, personalEmails) = (
            list(facts.Emails), list(facts.Phones), list(facts.Technologies), list(facts.TechnologyNames),
            list(facts.TechnologyCategories), list(facts.ManagingDirectors), list(facts.RoleEmails), list(facts.PersonalEmails));
        await RawStatements.DeferAsync(db, $"""
            INSERT INTO domains (id, tenant_id, name, title, description, language, final_url, favicon_url, logo_url,
                                 emails, phones, facebook_url, twitter_url, linkedin_url, instagram_url, youtube_url,
                                 tiktok_url, pinterest_url, is_wordpress, wordpress_version, has_elementor, technologies,
                                 technology_names, technology_categories, sitemap_url_count, company_name, country, vat_id,
                                 managing_directors, role_emails, personal_emails, language_source, last_status,
                                 last_error, last_job_id, last_scan_id, first_scan_at, last_scan_at, last_completed_at,
                                 scan_count, created_at, updated_at)
            VALUES ({id}, {job.TenantId}, {job.Domain}, {title}, {description}, {language}, {finalUrl}, {faviconUrl},
                    {logoUrl}, {emails}, {phones}, {facebook}, {twitter}, {linkedin}, {instagram}, {youtube}, {tiktok},
                    {pinterest}, {facts.IsWordpress}, {wordpressVersion}, {facts.HasElementor}, {technologies},
                    {technologyNames}, {categories}, {facts.SitemapUrls}, {companyName}, {country}, {vatId}, {directors},
                    {roleEmails}, {personalEmails}, {languageSource}, {status}, NULL, {job.Id}, {scanId}, {now}, {now},
                    {now}, 1, {now}, {now})
            ON CONFLICT (tenant_id, name) DO UPDATE SET
                title = excluded.title, description = excluded.description, language = excluded.language,
                final_url = excluded.final_url, favicon_url = excluded.favicon_url, logo_url = excluded.logo_url,
                emails = excluded.emails, phones = excluded.phones, facebook_url = excluded.facebook_url,
                twitter_url = excluded.twitter_url, linkedin_url = excluded.linkedin_url,
                instagram_url = excluded.instagram_url, youtube_url = excluded.youtube_url,
                tiktok_url = excluded.tiktok_url, pinterest_url = excluded.pinterest_url,
                is_wordpress = excluded.is_wordpress, wordpress_version = excluded.wordpress_version,
                has_elementor = excluded.has_elementor, technologies = excluded.technologies,
                technology_names = excluded.technology_names, technology_categories = excluded.technology_categories,
                -- A scan that skipped the sitemaps keeps the count the last one that read them found.
                sitemap_url_count = COALESCE(excluded.sitemap_url_count, domains.sitemap_url_count),
                company_name = excluded.company_name, country = excluded.country, vat_id = excluded.vat_id,
                managing_directors = excluded.managing_directors, role_emails = excluded.role_emails,
                personal_emails = excluded.personal_emails, language_source = excluded.language_source,
                last_status = excluded.last_status, last_error = NULL, last_job_id = excluded.last_job_id,
                last_scan_id = excluded.last_scan_id, first_scan_at = COALESCE(domains.first_scan_at, excluded.first_scan_at),
                last_scan_at = excluded.last_scan_at, last_completed_at = excluded.last_completed_at,
                scan_count = domains.scan_count + 1, updated_at = excluded.updated_at
            """, cancellationToken);
    }

    /// A failed scan's outcome on the domain row, in one statement as <see cref="UpsertFactsAsync"/>: a new domain gets a
    /// row with no facts, a known one keeps the facts of its last completed scan.
    private static async Task UpsertFailureAsync(
        ScraperSkyDbContext db, Guid tenantId, string name, Guid jobId, Guid scanId, string error, DateTime now,
        CancellationToken cancellationToken)
    {
        var list = ListParameter.For(db);
        var (id, status, none) = (Guid.CreateVersion7(), EnumNames.ToWire(JobStatus.Failed), list([]));
        await RawStatements.DeferAsync(db, $"""
            INSERT INTO domains (id, tenant_id, name, emails, phones, is_wordpress, has_elementor, technologies,
                                 technology_names, technology_categories, managing_directors, role_emails,
                                 personal_emails, last_status, last_error, last_job_id, last_scan_id, first_scan_at,
                                 last_scan_at, scan_count, created_at, updated_at)
            VALUES ({id}, {tenantId}, {name}, {none}, {none}, FALSE, FALSE, {none}, {none}, {none}, {none}, {none}, {none},
                    {status}, {error}, {jobId}, {scanId}, {now}, {now}, 1, {now}, {now})
            ON CONFLICT (tenant_id, name) DO UPDATE SET
                last_status = excluded.last_status, last_error = excluded.last_error, last_job_id = excluded.last_job_id,
                last_scan_id = excluded.last_scan_id, first_scan_at = COALESCE(domains.first_scan_at, excluded.first_scan_at),
                last_scan_at = excluded.last_scan_at, scan_count = domains.scan_count + 1, updated_at = excluded.updated_at
            """, cancellationToken);
    }
}
