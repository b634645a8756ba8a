using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Sitemaps;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Tests.Sitemaps;

public sealed class SqliteUrlWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_large_write_leaves_its_pooled_connection_with_the_default_page_cache()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var file = new SitemapFileRecord { Id = Guid.CreateVersion7(), Url = new Uri("https://big.test/sitemap.xml"), Kind = SitemapKind.UrlSet,
            Discovery = SitemapDiscovery.WellKnown };
        var store = database.CreateScope().ServiceProvider.GetRequiredService<SitemapStoreFactory>().Create(Tenant.DefaultId, "big.test");
        await store.OpenFileAsync(file, Ct);
        await store.CloseFileAsync(file, Ct);
        await store.FlushAsync(Ct);
        var urls = Enumerable.Range(0, SqliteUrlWriter.LargeWrite)
            .Select(i => new SitemapUrlEntry { Loc = $"https://big.test/p/{i}" })
            .ToList();

        // Opened here, the connection stays open after the writer is done with it, as a pooled one would be reused.
        await using var db = database.CreateContext();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            SqliteUrlWriter.Write(connection, new SitemapUrlTarget(Tenant.DefaultId, "big.test", file.Id), urls, Ct);
            await transaction.CommitAsync(Ct);
        }

        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA cache_size";
        Assert.Equal(SqliteUrlWriter.DefaultCacheSize, Convert.ToInt32(await pragma.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(SqliteUrlWriter.LargeWrite, await db.SitemapUrls.CountAsync(u => u.Domain == "big.test", Ct));
    }
}
