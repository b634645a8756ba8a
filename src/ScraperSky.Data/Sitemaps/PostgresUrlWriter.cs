using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Sitemaps;

/// One INSERT ... ON CONFLICT per batch, its rows as array parameters unnested by the server, in one transaction with
/// whatever <c>first</c> writes: a round trip for the rows whatever their number. (A binary COPY into a temp table and
/// an upsert from it cost four round trips and the temp table's truncation at every commit, for 25 URLs as for 2,000.)
internal static class PostgresUrlWriter
{
    /// Writes <paramref name="urls"/> in one transaction; <paramref name="first"/> (EF Core statements on
    /// <paramref name="db"/>, such as the file's own row) runs in it before them.
    public static async Task WriteAsync(
        ScraperSkyDbContext db, SitemapUrlTarget target, IReadOnlyList<SitemapUrlEntry> urls, Func<CancellationToken, Task>? first,
        CancellationToken cancellationToken)
    {
        var locs = Array(urls, NpgsqlDbType.Text, u => u.Loc);
        var lastmods = Array(urls, NpgsqlDbType.TimestampTz, u => u.Lastmod?.UtcDateTime);
        var changeFreqs = Array(urls, NpgsqlDbType.Text, u => u.ChangeFreq);
        var priorities = Array(urls, NpgsqlDbType.Double, u => u.Priority);
        var images = Array(urls, NpgsqlDbType.Integer, u => u.Images);
        var videos = Array(urls, NpgsqlDbType.Integer, u => u.Videos);
        var news = Array(urls, NpgsqlDbType.Integer, u => u.News);
        var alternates = Array(urls, NpgsqlDbType.Integer, u => u.Alternates);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (first is not null)
        {
            await first(cancellationToken);
        }

        // DISTINCT ON: one statement may not touch the same conflicting row twice (the last listing wins). Ordered by
        // position so row ids follow the file.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO sitemap_urls (tenant_id, domain, file_id, loc, lastmod, change_freq, priority,
                                      image_count, video_count, news_count, alternate_count)
            SELECT {target.TenantId}, {target.Domain}, {target.FileId}, loc, lastmod, change_freq, priority,
                   image_count, video_count, news_count, alternate_count
            FROM (SELECT DISTINCT ON (loc) *
                  FROM unnest({locs}, {lastmods}, {changeFreqs}, {priorities}, {images}, {videos}, {news}, {alternates})
                       WITH ORDINALITY AS u(loc, lastmod, change_freq, priority, image_count, video_count, news_count,
                                            alternate_count, ord)
                  ORDER BY loc, ord DESC) AS latest
            ORDER BY ord
            ON CONFLICT (tenant_id, domain, loc) DO UPDATE SET
                file_id = excluded.file_id, lastmod = excluded.lastmod, change_freq = excluded.change_freq,
                priority = excluded.priority, image_count = excluded.image_count, video_count = excluded.video_count,
                news_count = excluded.news_count, alternate_count = excluded.alternate_count
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static NpgsqlParameter Array<T>(IReadOnlyList<SitemapUrlEntry> urls, NpgsqlDbType type, Func<SitemapUrlEntry, T> value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = urls.Select(value).ToArray() };
}
