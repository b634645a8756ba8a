using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Sitemaps;

/// Binary COPY into a session temp table, then one INSERT ... ON CONFLICT into the real table, in one transaction
/// per batch: COPY cannot upsert, and row-by-row inserts cost a round trip each.
internal static class PostgresUrlWriter
{
    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS sitemap_urls_staging (
            ord integer NOT NULL, loc text NOT NULL, lastmod timestamp with time zone, change_freq text, priority double precision,
            image_count integer NOT NULL, video_count integer NOT NULL, news_count integer NOT NULL,
            alternate_count integer NOT NULL
        ) ON COMMIT DELETE ROWS
        """;

    // DISTINCT ON: one statement may not touch the same conflicting row twice (the last listing wins). Ordered by
    // position so row ids follow the file.
    private const string Upsert = """
        INSERT INTO sitemap_urls (tenant_id, domain, file_id, loc, lastmod, change_freq, priority,
                                  image_count, video_count, news_count, alternate_count)
        SELECT @tenant, @domain, @file, loc, lastmod, change_freq, priority,
               image_count, video_count, news_count, alternate_count
        FROM (SELECT DISTINCT ON (loc) * FROM sitemap_urls_staging ORDER BY loc, ord DESC) AS latest
        ORDER BY ord
        ON CONFLICT (tenant_id, domain, loc) DO UPDATE SET
            file_id = excluded.file_id, lastmod = excluded.lastmod, change_freq = excluded.change_freq,
            priority = excluded.priority, image_count = excluded.image_count, video_count = excluded.video_count,
            news_count = excluded.news_count, alternate_count = excluded.alternate_count
        """;

    /// Writes <paramref name="urls"/> in one transaction; <paramref name="first"/> (EF Core statements on
    /// <paramref name="db"/>, such as the file's own row) runs in it before them.
    public static async Task WriteAsync(
        ScraperSkyDbContext db, SitemapUrlTarget target, IReadOnlyList<SitemapUrlEntry> urls, Func<CancellationToken, Task>? first,
        CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (first is not null)
            {
                await db.Database.UseTransactionAsync(transaction, cancellationToken);
                await first(cancellationToken);
            }

            await using (var create = new NpgsqlCommand(CreateStaging, connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var importer = await connection.BeginBinaryImportAsync(
                "COPY sitemap_urls_staging (ord, loc, lastmod, change_freq, priority, image_count, video_count, news_count, alternate_count) FROM STDIN (FORMAT BINARY)",
                cancellationToken))
            {
                for (var i = 0; i < urls.Count; i++)
                {
                    var url = urls[i];
                    await importer.StartRowAsync(cancellationToken);
                    await importer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(url.Loc, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, url.Lastmod?.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                    await WriteNullableAsync(importer, url.ChangeFreq, NpgsqlDbType.Text, cancellationToken);
                    await WriteNullableAsync(importer, url.Priority, NpgsqlDbType.Double, cancellationToken);
                    await importer.WriteAsync(url.Images, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(url.Videos, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(url.News, NpgsqlDbType.Integer, cancellationToken);
                    await importer.WriteAsync(url.Alternates, NpgsqlDbType.Integer, cancellationToken);
                }

                await importer.CompleteAsync(cancellationToken);
            }

            await using (var upsert = new NpgsqlCommand(Upsert, connection, transaction))
            {
                upsert.Parameters.AddWithValue("tenant", target.TenantId);
                upsert.Parameters.AddWithValue("domain", target.Domain);
                upsert.Parameters.AddWithValue("file", target.FileId);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await importer.WriteAsync(value, type, cancellationToken);
        }
    }
}
