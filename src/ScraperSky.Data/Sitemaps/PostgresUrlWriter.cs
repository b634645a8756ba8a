using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Sitemaps;

/// One INSERT ... ON CONFLICT per batch, its rows as array parameters unnested by the server, in the caller's
/// transaction: a round trip for the rows whatever their number. (A binary COPY into a temp table and
/// an upsert from it cost four round trips and the temp table's truncation at every commit, for 25 URLs as for 2,000.)
internal static class PostgresUrlWriter
{
    /// Writes <paramref name="urls"/> in the transaction open on <paramref name="db"/>.
    public static async Task WriteAsync(
        ScraperSkyDbContext db, SitemapUrlTarget target, IReadOnlyList<SitemapUrlEntry> urls, CancellationToken cancellationToken)
    {
        var locs = Array(urls, NpgsqlDbType.Text, u => u.Loc);
        var lastmods = Array(urls, NpgsqlDbType.TimestampTz, u => u.Lastmod?.UtcDateTime);
        var changeFreqs = Array(urls, NpgsqlDbType.Text, u => u.ChangeFreq);
        var priorities = Array(urls, NpgsqlDbType.Double, u => u.Priority);
        var images = Array(urls, NpgsqlDbType.Integer, u => u.Images);
        var videos = Array(urls, NpgsqlDbType.Integer, u => u.Videos);
        var news = Array(urls, NpgsqlDbType.Integer, u => u.News);
        var alternates = Array(urls, NpgsqlDbType.Integer, u => u.Alternates);
        // DISTINCT ON: one statement may not touch the same conflicting row twice (the last listing wins). Ordered by
        // position so row ids follow the file.
        await RawStatements.DeferAsync(db, $"""
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
    }

    private static NpgsqlParameter Array<T>(IReadOnlyList<SitemapUrlEntry> urls, NpgsqlDbType type, Func<SitemapUrlEntry, T> value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = urls.Select(value).ToArray() };
}
