namespace ScraperSky.Data.Sqlite.Migrations;

/// The data move of ResultsHome: each ended job's result or error becomes a row of the domain's history, the domain
/// rows get their new fact columns from the result they kept, and each batch entry and end sequence is written.
public partial class ResultsHome
{
    private const string MoveResults = """
        INSERT INTO domain_scans (id, tenant_id, domain, job_id, batch_id, status, scanned_at, result, error)
        SELECT id, tenant_id, domain, id, batch_id, 'completed', COALESCE(completed_at, created_at), result, NULL
        FROM jobs WHERE status = 'completed' AND result IS NOT NULL;

        INSERT INTO domain_scans (id, tenant_id, domain, job_id, batch_id, status, scanned_at, result, error)
        SELECT id, tenant_id, domain, id, batch_id, 'failed', COALESCE(completed_at, created_at), NULL, error
        FROM jobs WHERE status = 'failed' AND started_at IS NOT NULL;

        UPDATE domains SET
            emails = email_addresses,
            phones = phone_numbers,
            final_url = json_extract(metadata, '$.final_url'),
            tiktok_url = json_extract(metadata, '$.social_links.tiktok'),
            pinterest_url = json_extract(metadata, '$.social_links.pinterest'),
            technologies = (
                SELECT json_group_array(CASE WHEN json_extract(t.value, '$.version') IS NULL
                    THEN json_extract(t.value, '$.name')
                    ELSE json_extract(t.value, '$.name') || ' ' || json_extract(t.value, '$.version') END)
                FROM json_each(metadata, '$.technologies') t),
            technology_names = (
                SELECT json_group_array(json_extract(t.value, '$.name')) FROM json_each(metadata, '$.technologies') t),
            technology_categories = (
                SELECT json_group_array(DISTINCT c.value)
                FROM json_each(metadata, '$.technologies') t, json_each(t.value, '$.categories') c),
            sitemap_url_count = json_extract(metadata, '$.sitemaps.urls'),
            last_status = 'completed',
            last_completed_at = last_scan_at,
            last_job_id = (SELECT s.job_id FROM domain_scans s
                           WHERE s.tenant_id = domains.tenant_id AND s.domain = domains.name AND s.status = 'completed'
                           ORDER BY s.scanned_at DESC LIMIT 1)
        WHERE metadata IS NOT NULL;

        UPDATE domains SET last_scan_id = last_job_id;

        INSERT INTO batch_entries (batch_id, "row", input, job_id)
        SELECT batch_id, ROW_NUMBER() OVER (PARTITION BY batch_id ORDER BY id), domain, id
        FROM jobs WHERE batch_id IS NOT NULL;

        UPDATE jobs SET end_sequence = numbered.position
        FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY batch_id ORDER BY completed_at, id) AS position
              FROM jobs WHERE batch_id IS NOT NULL AND status IN ('completed', 'failed')) AS numbered
        WHERE jobs.id = numbered.id;

        UPDATE batch_jobs SET end_sequence =
            (SELECT COUNT(*) FROM jobs WHERE jobs.batch_id = batch_jobs.id AND jobs.end_sequence IS NOT NULL);
        """;
}
