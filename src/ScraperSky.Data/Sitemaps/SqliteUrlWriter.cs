using System.Data;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Sitemaps;

/// One prepared upsert executed per row inside one transaction per batch: SQLite's fastest path for bulk writes.
internal static class SqliteUrlWriter
{
    private const string Sql = """
        INSERT INTO sitemap_urls (tenant_id, domain, file_id, loc, lastmod, change_freq, priority,
                                  image_count, video_count, news_count, alternate_count)
        VALUES ($tenant, $domain, $file, $loc, $lastmod, $changefreq, $priority, $images, $videos, $news, $alternates)
        ON CONFLICT (tenant_id, domain, loc) DO UPDATE SET
            file_id = excluded.file_id, lastmod = excluded.lastmod, change_freq = excluded.change_freq,
            priority = excluded.priority, image_count = excluded.image_count, video_count = excluded.video_count,
            news_count = excluded.news_count, alternate_count = excluded.alternate_count
        """;

    public static async Task WriteAsync(
        ScraperSkyDbContext db, SitemapUrlTarget target, IReadOnlyList<SitemapUrlEntry> urls, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Sql;
            // Guids and timestamps in the text forms EF Core's SQLite provider writes, so EF reads them back alike.
            command.Parameters.AddWithValue("$tenant", target.TenantId.ToString().ToUpperInvariant());
            command.Parameters.AddWithValue("$domain", target.Domain);
            command.Parameters.AddWithValue("$file", target.FileId.ToString().ToUpperInvariant());
            var loc = command.Parameters.Add("$loc", SqliteType.Text);
            var lastmod = command.Parameters.Add("$lastmod", SqliteType.Text);
            var changeFreq = command.Parameters.Add("$changefreq", SqliteType.Text);
            var priority = command.Parameters.Add("$priority", SqliteType.Real);
            var images = command.Parameters.Add("$images", SqliteType.Integer);
            var videos = command.Parameters.Add("$videos", SqliteType.Integer);
            var news = command.Parameters.Add("$news", SqliteType.Integer);
            var alternates = command.Parameters.Add("$alternates", SqliteType.Integer);
            await command.PrepareAsync(cancellationToken);
            foreach (var url in urls)
            {
                loc.Value = url.Loc;
                lastmod.Value = url.Lastmod is { } l
                    ? l.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)
                    : DBNull.Value;
                changeFreq.Value = (object?)url.ChangeFreq ?? DBNull.Value;
                priority.Value = (object?)url.Priority ?? DBNull.Value;
                images.Value = url.Images;
                videos.Value = url.Videos;
                news.Value = url.News;
                alternates.Value = url.Alternates;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
