using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Sitemaps;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Data.Tests.Sitemaps;

public abstract class SitemapStoreTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The scope lives as long as the database (a scan's store lives as long as the worker's scope).
    private static SitemapStore Store(TestDatabase database, Guid tenant, string domain) =>
        database.CreateScope().ServiceProvider.GetRequiredService<SitemapStoreFactory>().Create(tenant, domain);

    private static SitemapFileRecord File(string url, SitemapDiscovery discovery = SitemapDiscovery.WellKnown, Guid? parent = null) => new()
    {
        Id = Guid.CreateVersion7(),
        Url = new Uri(url),
        Discovery = discovery,
        ParentId = parent,
        Kind = SitemapKind.UrlSet,
        HttpStatus = 200,
    };

    private static SitemapUrlEntry Url(string loc, DateTimeOffset? lastmod = null) => new() { Loc = loc, Lastmod = lastmod };

    private static async Task WriteFileAsync(SitemapStore store, SitemapFileRecord file, IReadOnlyList<SitemapUrlEntry> urls, int batch = 2)
    {
        await store.OpenFileAsync(file, Ct);
        foreach (var chunk in urls.Chunk(batch))
        {
            await store.AddUrlsAsync(file, chunk, Ct);
        }

        await store.CloseFileAsync(file with { UrlCount = urls.Count, Bytes = 1234, Gzipped = true, FetchMs = 56 }, Ct);
    }

    // What a job's completion does with the collection, without a job.
    private static async Task StoreFileAsync(SitemapStore store, SitemapFileRecord file, IReadOnlyList<SitemapUrlEntry> urls, int batch = 2)
    {
        await WriteFileAsync(store, file, urls, batch);
        await store.FlushAsync(Ct);
    }

    [Fact]
    public async Task Urls_written_in_bulk_read_back_through_ef_core_with_every_field()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = Store(database, Tenant.DefaultId, "shop.test");
        var index = File("https://shop.test/sitemap_index.xml", SitemapDiscovery.Robots) with { Kind = SitemapKind.Index };
        var file = File("https://shop.test/posts.xml", SitemapDiscovery.Index, index.Id);
        var lastmod = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

        await WriteFileAsync(store, index, []);
        await StoreFileAsync(store, file,
        [
            new SitemapUrlEntry
            {
                Loc = "https://shop.test/a", Lastmod = lastmod, ChangeFreq = "weekly", Priority = 0.7,
                Images = 3, Videos = 1, News = 1, Alternates = 2,
            },
            Url("https://shop.test/b"),
            Url("https://shop.test/c"),
        ]);
        await store.CompleteAsync(new SitemapSummary(), Ct);

        await using var db = database.CreateContext();
        var urls = await db.SitemapUrls.AsNoTracking().OrderBy(u => u.Loc).ToListAsync(Ct);
        Assert.Equal(["https://shop.test/a", "https://shop.test/b", "https://shop.test/c"], urls.Select(u => u.Loc));
        var a = urls[0];
        Assert.Equal(Tenant.DefaultId, a.TenantId);
        Assert.Equal("shop.test", a.Domain);
        Assert.Equal(file.Id, a.FileId);
        Assert.Equal(lastmod.UtcDateTime, a.Lastmod);
        Assert.Equal(DateTimeKind.Utc, a.Lastmod!.Value.Kind);
        Assert.Equal("weekly", a.ChangeFreq);
        Assert.Equal(0.7, a.Priority);
        Assert.Equal((3, 1, 1, 2), (a.ImageCount, a.VideoCount, a.NewsCount, a.AlternateCount));
        Assert.Null(urls[1].Lastmod);
        Assert.Null(urls[1].Priority);

        var files = await db.SitemapFiles.AsNoTracking().OrderBy(f => f.Url).ToListAsync(Ct);
        Assert.Equal(2, files.Count);
        var posts = files.Single(f => f.Id == file.Id);
        Assert.Equal(index.Id, posts.ParentId);
        Assert.Equal(SitemapDiscovery.Index, posts.Discovery);
        Assert.Equal(SitemapKind.UrlSet, posts.Kind);
        Assert.Equal((3, 1234L, true, 56L, 200), (posts.UrlCount, posts.Bytes, posts.Gzipped, posts.FetchMs, posts.HttpStatus));
        Assert.Equal(SitemapKind.Index, files.Single(f => f.Id == index.Id).Kind);
    }

    [Fact]
    public async Task A_small_collection_is_written_only_when_stored_with_the_figures_of_each_files_close()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = Store(database, Tenant.DefaultId, "shop.test");
        var file = File("https://shop.test/sitemap.xml");
        var empty = File("https://shop.test/empty.xml");
        var big = File("https://shop.test/big.xml");
        await using var db = database.CreateContext();

        await store.OpenFileAsync(file, Ct);
        await store.OpenFileAsync(empty, Ct);
        await store.OpenFileAsync(big, Ct);

        // The collector's last batch of a file carries its final figures, and its close the same record.
        var final = file with { UrlCount = 2, Bytes = 300, FetchMs = 7 };
        await store.AddUrlsAsync(final, [Url("https://shop.test/a"), Url("https://shop.test/b")], Ct);
        await store.CloseFileAsync(final, Ct);
        await store.CloseFileAsync(empty with { HttpStatus = 404, Error = "Not found" }, Ct);
        await store.AddUrlsAsync(big, [Url("https://shop.test/c")], Ct);
        await store.AddUrlsAsync(big, [Url("https://shop.test/d")], Ct);
        await store.CloseFileAsync(big with { UrlCount = 2, Truncated = true }, Ct);
        await store.CompleteAsync(new SitemapSummary(), Ct);
        Assert.Equal(0, await db.SitemapFiles.CountAsync(Ct));
        Assert.Equal(0, await db.SitemapUrls.CountAsync(Ct));

        await store.FlushAsync(Ct);

        var files = await db.SitemapFiles.AsNoTracking().ToDictionaryAsync(f => f.Id, Ct);
        Assert.Equal((2, 300L, 7L), (files[file.Id].UrlCount, files[file.Id].Bytes, files[file.Id].FetchMs));
        Assert.Equal((404, "Not found", 0), (files[empty.Id].HttpStatus, files[empty.Id].Error, files[empty.Id].UrlCount));
        Assert.Equal((2, true), (files[big.Id].UrlCount, files[big.Id].Truncated));
        Assert.Equal(4, await db.SitemapUrls.CountAsync(Ct));
    }

    [Fact]
    public async Task A_collection_past_the_buffer_is_written_as_it_arrives_and_a_close_with_new_figures_updates_its_row()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = Store(database, Tenant.DefaultId, "shop.test");
        var small = File("https://shop.test/small.xml");
        var big = File("https://shop.test/big.xml");
        await using var db = database.CreateContext();

        await WriteFileAsync(store, small, [Url("https://shop.test/s")]);
        await store.OpenFileAsync(big, Ct);
        // With the small file's URL, the buffer's worth.
        var first = Enumerable.Range(0, SitemapStore.BufferedUrls - 1).Select(i => Url($"https://shop.test/p/{i}")).ToList();
        await store.AddUrlsAsync(big, first, Ct);
        Assert.Equal(0, await db.SitemapUrls.CountAsync(Ct));

        // The batch that crosses the limit goes to the database with everything held before it, and so does each after.
        await store.AddUrlsAsync(big, [Url("https://shop.test/q/0")], Ct);
        Assert.Equal(SitemapStore.BufferedUrls + 1, await db.SitemapUrls.CountAsync(Ct));
        Assert.Equal(2, await db.SitemapFiles.CountAsync(Ct));
        await store.AddUrlsAsync(big, [Url("https://shop.test/q/1")], Ct);
        Assert.Equal(SitemapStore.BufferedUrls + 2, await db.SitemapUrls.CountAsync(Ct));
        await store.CloseFileAsync(big with { UrlCount = SitemapStore.BufferedUrls + 1, Bytes = 99 }, Ct);

        var row = await db.SitemapFiles.AsNoTracking().SingleAsync(f => f.Id == big.Id, Ct);
        Assert.Equal((SitemapStore.BufferedUrls + 1, 99L), (row.UrlCount, row.Bytes));
    }

    [Fact]
    public async Task A_completion_that_is_refused_writes_nothing_of_the_scans_collection()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.EnqueueAsync("shop.test");
        var queue = database.CreateQueue();
        var claim = Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));
        var store = Store(database, Tenant.DefaultId, "shop.test");
        await WriteFileAsync(store, File("https://shop.test/sitemap.xml"), [Url("https://shop.test/a")]);

        // Another worker holds the job now: the result is refused, and the collection goes with it.
        Assert.False(await queue.CompleteAsync(claim with { Owner = "worker-2" }, new SiteMetadata { Sitemaps = new SitemapSummary() }, store, Ct));

        await using var db = database.CreateContext();
        Assert.Equal(0, await db.SitemapFiles.CountAsync(Ct));
        Assert.Equal(0, await db.SitemapUrls.CountAsync(Ct));
    }

    [Fact]
    public async Task A_url_listed_by_two_files_is_stored_once_with_the_later_file()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = Store(database, Tenant.DefaultId, "shop.test");
        var first = File("https://shop.test/1.xml");
        var second = File("https://shop.test/2.xml");

        await WriteFileAsync(store, first, [Url("https://shop.test/a"), Url("https://shop.test/b")]);
        await StoreFileAsync(store, second, [Url("https://shop.test/b", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)), Url("https://shop.test/b")], batch: 5);

        await using var db = database.CreateContext();
        var b = await db.SitemapUrls.AsNoTracking().SingleAsync(u => u.Loc == "https://shop.test/b", Ct);
        Assert.Equal(second.Id, b.FileId);
        Assert.Equal(2, await db.SitemapUrls.CountAsync(Ct));
    }

    [Fact]
    public async Task A_batch_of_more_urls_than_one_statement_holds_is_stored_whole_and_a_url_listed_twice_keeps_its_last_listing()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = Store(database, Tenant.DefaultId, "shop.test");
        var file = File("https://shop.test/sitemap.xml");
        // 64 rows fill one multi-row statement on SQLite; the 25 after them go row by row, the twice-listed one among them.
        var urls = Enumerable.Range(0, 88).Select(i => Url($"https://shop.test/p/{i:D3}")).ToList();
        urls.Add(new SitemapUrlEntry { Loc = "https://shop.test/p/087", Priority = 0.9, Images = 4 });

        await StoreFileAsync(store, file, urls, batch: urls.Count);

        await using var db = database.CreateContext();
        var stored = await db.SitemapUrls.AsNoTracking().OrderBy(u => u.Loc).ToListAsync(Ct);
        Assert.Equal(urls.Take(88).Select(u => u.Loc), stored.Select(u => u.Loc));
        Assert.All(stored, u => Assert.Equal(file.Id, u.FileId));
        Assert.Equal((0.9, 4), (stored[^1].Priority, stored[^1].ImageCount));
        Assert.Equal((null, 0), (stored[^2].Priority, stored[^2].ImageCount));
    }

    [Fact]
    public async Task A_rescan_replaces_the_earlier_files_and_drops_the_urls_no_longer_listed()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var firstScan = Store(database, Tenant.DefaultId, "shop.test");
        var old = File("https://shop.test/sitemap.xml");
        await StoreFileAsync(firstScan, old, [Url("https://shop.test/kept"), Url("https://shop.test/gone")]);
        await firstScan.CompleteAsync(new SitemapSummary(), Ct);
        var other = Store(database, Tenant.DefaultId, "other.test");
        await StoreFileAsync(other, File("https://other.test/sitemap.xml"), [Url("https://other.test/x")]);

        database.Time.Advance(TimeSpan.FromMinutes(5));
        var rescan = Store(database, Tenant.DefaultId, "shop.test");
        var current = File("https://shop.test/sitemap.xml");
        await WriteFileAsync(rescan, current, [Url("https://shop.test/kept"), Url("https://shop.test/new")]);

        await using (var before = database.CreateContext())
        {
            // Until the rescan completes, readers still see the earlier file, and nothing of the rescan.
            Assert.True(await before.SitemapFiles.AnyAsync(f => f.Id == old.Id, Ct));
            Assert.False(await before.SitemapFiles.AnyAsync(f => f.Id == current.Id, Ct));
        }

        // The transaction that stores the rescan's result writes its collection and retires the earlier one.
        await database.EnqueueAsync("shop.test");
        var queue = database.CreateQueue();
        var claim = Assert.Single(await queue.ClaimAsync("worker-1", 1, Ct));
        Assert.True(await queue.CompleteAsync(claim, new SiteMetadata { Sitemaps = new SitemapSummary() }, rescan, Ct));

        await using var db = database.CreateContext();
        Assert.Equal([current.Id], await db.SitemapFiles.Where(f => f.Domain == "shop.test").Select(f => f.Id).ToListAsync(Ct));
        Assert.Equal(["https://shop.test/kept", "https://shop.test/new"],
            await db.SitemapUrls.Where(u => u.Domain == "shop.test").OrderBy(u => u.Loc).Select(u => u.Loc).ToListAsync(Ct));
        Assert.Equal(1, await db.SitemapUrls.CountAsync(u => u.Domain == "other.test", Ct));
    }

    [Fact]
    public async Task The_same_url_of_the_same_domain_is_kept_apart_per_tenant()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var otherTenant = await database.AddTenantAsync("other");
        await StoreFileAsync(Store(database, Tenant.DefaultId, "shop.test"), File("https://shop.test/s.xml"), [Url("https://shop.test/a")]);
        var theirs = Store(database, otherTenant, "shop.test");
        await StoreFileAsync(theirs, File("https://shop.test/s.xml"), [Url("https://shop.test/a")]);
        database.Time.Advance(TimeSpan.FromMinutes(1));
        await theirs.CompleteAsync(new SitemapSummary(), Ct);

        await using var db = database.CreateContext();
        Assert.Equal(1, await db.SitemapUrls.CountAsync(u => u.TenantId == Tenant.DefaultId, Ct));
        Assert.Equal(1, await db.SitemapUrls.CountAsync(u => u.TenantId == otherTenant, Ct));
    }
}

public sealed class SqliteSitemapStoreTests() : SitemapStoreTests(DatabaseProvider.Sqlite);

public sealed class PostgresSitemapStoreTests() : SitemapStoreTests(DatabaseProvider.Postgres);
