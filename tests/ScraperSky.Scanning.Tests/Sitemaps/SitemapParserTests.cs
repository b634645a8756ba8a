using System.IO.Compression;
using System.Text;
using ScraperSky.Scanning.Sitemaps;

namespace ScraperSky.Scanning.Tests.Sitemaps;

public sealed class SitemapParserTests
{
    private static readonly Uri FileUrl = new("https://example.com/sitemap.xml");

    /// Parses <paramref name="bytes"/> as a file that has arrived whole (read from memory by the synchronous reader
    /// when small) and again as one arriving piece by piece (the asynchronous reader), and checks both read it alike.
    private static async Task<(SitemapParseResult Result, List<SitemapUrlEntry> Urls)> ParseAsync(
        byte[] bytes, SitemapOptions? options = null, int? maxUrls = null)
    {
        options ??= new SitemapOptions();
        var whole = await ParseOnceAsync(new MemoryStream(bytes), options, maxUrls);
        var piecemeal = await ParseOnceAsync(new ArrivingStream(bytes), options, maxUrls);
        Assert.Equal(whole.Result with { Sitemaps = [] }, piecemeal.Result with { Sitemaps = [] });
        Assert.Equal(whole.Result.Sitemaps, piecemeal.Result.Sitemaps);
        Assert.Equal(whole.Urls, piecemeal.Urls);
        return whole;
    }

    private static async Task<(SitemapParseResult Result, List<SitemapUrlEntry> Urls)> ParseOnceAsync(
        Stream stream, SitemapOptions options, int? maxUrls = null)
    {
        var urls = new UrlList();
        await using (stream)
        {
            var result = await new SitemapParser(options).ParseAsync(
                stream, FileUrl, urls, maxUrls ?? options.MaxUrlsPerFile, TestContext.Current.CancellationToken);
            return (result, urls.Urls);
        }
    }

    private static Task<(SitemapParseResult Result, List<SitemapUrlEntry> Urls)> ParseAsync(string text) =>
        ParseAsync(Encoding.UTF8.GetBytes(text));

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private const string UrlSet = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"
                xmlns:video="http://www.google.com/schemas/sitemap-video/1.1"
                xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
                xmlns:xhtml="http://www.w3.org/1999/xhtml">
          <url>
            <loc>https://example.com/</loc>
            <lastmod>2024-05-01T10:20:30+02:00</lastmod>
            <changefreq>Daily</changefreq>
            <priority>0.8</priority>
            <xhtml:link rel="alternate" hreflang="de" href="https://example.com/de/"/>
            <xhtml:link rel="alternate" hreflang="fr" href="https://example.com/fr/"/>
            <image:image><image:loc>https://example.com/a.jpg</image:loc></image:image>
            <image:image><image:loc>https://example.com/b.jpg</image:loc></image:image>
            <image:image><image:loc>https://example.com/c.jpg</image:loc></image:image>
          </url>
          <url>
            <loc>
              https://example.com/news/1
            </loc>
            <lastmod>2024-06</lastmod>
            <changefreq>sometimes</changefreq>
            <priority>7</priority>
            <news:news><news:title>Title</news:title></news:news>
            <video:video><video:content_loc>https://example.com/v.mp4</video:content_loc></video:video>
          </url>
          <url><loc><![CDATA[https://example.com/q?a=1&b=2]]></loc></url>
        </urlset>
        """;

    [Fact]
    public async Task A_urlset_gives_each_url_with_its_lastmod_changefreq_priority_and_extension_counts()
    {
        var (result, urls) = await ParseAsync(UrlSet);

        Assert.Equal(SitemapKind.UrlSet, result.Kind);
        Assert.False(result.Truncated);
        Assert.Null(result.Error);
        Assert.Equal(3, result.UrlCount);
        Assert.Equal(["https://example.com/", "https://example.com/news/1", "https://example.com/q?a=1&b=2"], urls.Select(u => u.Loc));

        var home = urls[0];
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 20, 30, TimeSpan.Zero), home.Lastmod);
        Assert.Equal("daily", home.ChangeFreq);
        Assert.Equal(0.8, home.Priority);
        Assert.Equal(3, home.Images);
        Assert.Equal(2, home.Alternates);
        Assert.Equal(0, home.Videos);

        var news = urls[1];
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), news.Lastmod);
        Assert.Null(news.ChangeFreq);
        Assert.Null(news.Priority);
        Assert.Equal(1, news.News);
        Assert.Equal(1, news.Videos);
        Assert.Equal(0, news.Images);
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), result.NewestLastmod);
    }

    [Fact]
    public async Task A_sitemap_index_lists_its_child_sitemaps_and_gives_no_urls()
    {
        var (result, urls) = await ParseAsync("""
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://example.com/a.xml</loc><lastmod>2024-01-02</lastmod></sitemap>
              <sitemap><loc>/b.xml.gz</loc></sitemap>
              <sitemap><loc>javascript:alert(1)</loc></sitemap>
            </sitemapindex>
            """);

        Assert.Equal(SitemapKind.Index, result.Kind);
        Assert.Empty(urls);
        Assert.Equal(["https://example.com/a.xml", "https://example.com/b.xml.gz"], result.Sitemaps.Select(s => s.Url.AbsoluteUri));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), result.Sitemaps[0].Lastmod);
        Assert.Equal(1, result.InvalidEntries);
    }

    [Fact]
    public async Task Gzip_is_recognised_by_its_magic_bytes_even_twice_over()
    {
        var once = await ParseAsync(Gzip(Encoding.UTF8.GetBytes(UrlSet)));
        var twice = await ParseAsync(Gzip(Gzip(Encoding.UTF8.GetBytes(UrlSet))));

        Assert.True(once.Result.Gzipped);
        Assert.Equal(3, once.Urls.Count);
        Assert.True(twice.Result.Gzipped);
        Assert.Equal(3, twice.Urls.Count);
        Assert.Equal(Encoding.UTF8.GetByteCount(UrlSet), once.Result.Bytes);
    }

    [Fact]
    public async Task A_gzip_bomb_stops_at_the_uncompressed_limit_and_is_marked_truncated()
    {
        var bomb = new MemoryStream();
        await using (var gzip = new GZipStream(bomb, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write("<urlset><url><loc>https://example.com/x</loc></url>"u8);
            var spaces = new byte[1024 * 1024];
            spaces.AsSpan().Fill((byte)' ');
            for (var i = 0; i < 8; i++)
            {
                gzip.Write(spaces);
            }

            gzip.Write("</urlset>"u8);
        }

        var (result, urls) = await ParseAsync(bomb.ToArray(), new SitemapOptions { MaxBytesPerFile = 1024 * 1024 });

        Assert.True(result.Truncated);
        Assert.Contains("larger than 1048576 bytes", result.Error, StringComparison.Ordinal);
        Assert.Equal(1024 * 1024, result.Bytes);
        Assert.Single(urls);
    }

    [Fact]
    public async Task An_entity_bomb_is_refused_without_expanding_anything()
    {
        var (result, urls) = await ParseAsync("""
            <?xml version="1.0"?>
            <!DOCTYPE urlset [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            ]>
            <urlset><url><loc>https://example.com/&c;</loc></url></urlset>
            """);

        Assert.Empty(urls);
        Assert.Contains("DTD", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_cut_off_inside_a_url_keeps_the_complete_urls_and_is_marked_truncated()
    {
        var (result, urls) = await ParseAsync("""
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>https://example.com/1</loc></url>
              <url><loc>https://example.com/2</loc></url>
              <url><loc>https://example.com/3</lo
            """);

        Assert.Equal(SitemapKind.UrlSet, result.Kind);
        Assert.True(result.Truncated);
        Assert.Contains("cut off", result.Error, StringComparison.Ordinal);
        Assert.Equal(["https://example.com/1", "https://example.com/2"], urls.Select(u => u.Loc));
    }

    [Theory]
    [InlineData("<urlset xmlns=\"http://www.google.com/schemas/sitemap/0.84\"><url><loc>https://example.com/a</loc></url></urlset>")]
    [InlineData("<urlset><url><loc>https://example.com/a</loc></url></urlset>")]
    [InlineData("<s:urlset xmlns:s=\"urn:wrong\"><s:url><s:loc>https://example.com/a</s:loc></s:url></s:urlset>")]
    [InlineData("\uFEFF\r\n\r\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset><url><loc>https://example.com/a</loc></url></urlset>")]
    [InlineData("\uFEFF<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\n\t<url>\n<loc>\n\thttps://example.com/a\n</loc>\n</url>\n</urlset>\n\n")]
    public async Task Wrong_or_missing_namespaces_a_bom_and_stray_whitespace_are_read_alike(string xml)
    {
        var (result, urls) = await ParseAsync(xml);

        Assert.Equal(SitemapKind.UrlSet, result.Kind);
        Assert.Null(result.Error);
        Assert.Equal("https://example.com/a", Assert.Single(urls).Loc);
    }

    [Fact]
    public async Task A_plain_text_sitemap_gives_one_url_per_line_and_skips_the_rest()
    {
        var text = "\uFEFFhttps://example.com/a\r\n\r\n   https://example.com/b  \nnot a url\nftp://example.com/c\n" +
                   "https://example.com/" + new string('x', 3000) + "\nhttps://example.com/d";
        var (result, urls) = await ParseAsync(text);

        Assert.Equal(SitemapKind.Text, result.Kind);
        Assert.Equal(["https://example.com/a", "https://example.com/b", "https://example.com/d"], urls.Select(u => u.Loc));
        Assert.Equal(3, result.InvalidEntries);
    }

    [Fact]
    public async Task An_rss_feed_gives_its_item_links_with_pubdate_as_lastmod()
    {
        var (result, urls) = await ParseAsync("""
            <?xml version="1.0"?>
            <rss version="2.0"><channel>
              <title>Blog</title><link>https://example.com/</link>
              <item><title>One</title><link>https://example.com/one</link><pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate></item>
              <item><title>Two</title><link>https://example.com/two</link><pubDate>Wed, 11 Jun 2003 09:30:00 +0200</pubDate></item>
            </channel></rss>
            """);

        Assert.Equal(SitemapKind.Rss, result.Kind);
        Assert.Equal(["https://example.com/one", "https://example.com/two"], urls.Select(u => u.Loc));
        Assert.Equal(new DateTimeOffset(2003, 6, 10, 4, 0, 0, TimeSpan.Zero), urls[0].Lastmod);
        Assert.Equal(new DateTimeOffset(2003, 6, 11, 7, 30, 0, TimeSpan.Zero), urls[1].Lastmod);
    }

    [Fact]
    public async Task An_atom_feed_gives_each_entry_alternate_link_with_updated_as_lastmod()
    {
        var (result, urls) = await ParseAsync("""
            <feed xmlns="http://www.w3.org/2005/Atom">
              <link rel="self" href="https://example.com/atom.xml"/>
              <entry>
                <link rel="edit" href="https://example.com/edit/1"/>
                <link href="https://example.com/posts/1"/>
                <updated>2024-03-04T05:06:07Z</updated>
              </entry>
              <entry><link rel="alternate" href="/posts/2"/><published>2024-01-01T00:00:00Z</published></entry>
            </feed>
            """);

        Assert.Equal(SitemapKind.Atom, result.Kind);
        Assert.Equal(["https://example.com/posts/1", "https://example.com/posts/2"], urls.Select(u => u.Loc));
        Assert.Equal(new DateTimeOffset(2024, 3, 4, 5, 6, 7, TimeSpan.Zero), urls[0].Lastmod);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), urls[1].Lastmod);
    }

    [Fact]
    public async Task Urls_past_the_per_file_limit_are_not_read_and_the_file_is_marked_truncated()
    {
        var xml = new StringBuilder("<urlset>");
        for (var i = 0; i < 12; i++)
        {
            xml.Append("<url><loc>https://example.com/").Append(i).Append("</loc></url>");
        }

        xml.Append("</urlset>");
        var (result, urls) = await ParseAsync(Encoding.UTF8.GetBytes(xml.ToString()), new SitemapOptions { MaxUrlsPerFile = 10 });

        Assert.Equal(10, urls.Count);
        Assert.Equal(10, result.UrlCount);
        Assert.True(result.Truncated);
        Assert.Contains("limit of 10", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<!doctype html><html><body>Not found</body></html>", "an HTML page")]
    [InlineData("<feedback/>", "root element is <feedback>")]
    [InlineData("\uFEFF  <html><body>Not found</body></html>", "an HTML page")]
    [InlineData("", "empty")]
    [InlineData("Hello there\nnothing to see", "no line is a URL")]
    public async Task Something_that_is_not_a_sitemap_is_reported_as_unknown(string body, string error)
    {
        var (result, urls) = await ParseAsync(body);

        Assert.Equal(SitemapKind.Unknown, result.Kind);
        Assert.Empty(urls);
        Assert.False(result.Truncated);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024", "2024-01-01T00:00:00+00:00")]
    [InlineData("2024-02", "2024-02-01T00:00:00+00:00")]
    [InlineData("2024-02-03", "2024-02-03T00:00:00+00:00")]
    [InlineData("2024-02-03T04:05Z", "2024-02-03T04:05:00+00:00")]
    [InlineData("2024-02-03T04:05+01:00", "2024-02-03T03:05:00+00:00")]
    [InlineData("2024-02-03T04:05:06Z", "2024-02-03T04:05:06+00:00")]
    [InlineData("2024-02-03T04:05:06.789-05:00", "2024-02-03T09:05:06.789+00:00")]
    [InlineData("2024-02-03T04:05:06", "2024-02-03T04:05:06+00:00")]
    [InlineData("2024-02-03 04:05:06", "2024-02-03T04:05:06+00:00")]
    [InlineData("2024-02-03T04:05:06+0100", "2024-02-03T03:05:06+00:00")]
    [InlineData(" 2024-02-03 ", "2024-02-03T00:00:00+00:00")]
    [InlineData("Sat, 03 Feb 2024 04:05:06 GMT", "2024-02-03T04:05:06+00:00")]
    [InlineData("Sat, 03 Feb 2024 04:05:06 EST", "2024-02-03T09:05:06+00:00")]
    [InlineData("yesterday", null)]
    [InlineData("0000-00-00", null)]
    [InlineData("1970-01-01", null)]
    [InlineData("", null)]
    public void Lastmod_reads_every_w3c_datetime_form_and_the_usual_mistakes(string text, string? expected)
    {
        var parsed = SitemapValues.ParseDate(text);

        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed);
    }

    [Theory]
    [InlineData("2024-02-03")]
    [InlineData("2024-02-29")]
    [InlineData("2023-02-29")]
    [InlineData("2024-13-01")]
    [InlineData("2024-00-10")]
    [InlineData("1989-12-31")]
    [InlineData("1990-01-01")]
    [InlineData("2200-12-31")]
    [InlineData("2201-01-01")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("2024-02-03T04:05:06Z")]
    [InlineData("2024-02-03T04:05:06z")]
    [InlineData("2024-02-03t04:05:06Z")]
    [InlineData("2024-02-03T04:05:06+01:00")]
    [InlineData("2024-02-03T04:05:06-05:30")]
    [InlineData("2024-02-03T23:59:59-13:59")]
    [InlineData("2024-02-03T04:05:06+14:00")]
    [InlineData("2024-02-03T04:05:06+14:01")]
    [InlineData("2024-02-03T04:05:06+01:60")]
    [InlineData("2024-02-03T24:00:00Z")]
    [InlineData("2024-02-03T04:60:00Z")]
    [InlineData("2024-02-03T04:05:60Z")]
    [InlineData("1990-01-01T00:30:00+01:00")]
    [InlineData("2200-12-31T23:30:00-01:00")]
    [InlineData("2024-02-03T04:05:06 Z")]
    [InlineData("2024-02-03X04:05:06Z")]
    [InlineData("2024-2-03")]
    [InlineData("２０２４-02-03")]
    public void Lastmod_in_a_common_form_reads_as_the_format_list_reads_it(string text)
    {
        Assert.Equal(SitemapValues.ParseByFormats(text), SitemapValues.ParseDate(text));
    }

    [Fact]
    public async Task A_small_file_that_has_arrived_whole_is_read_without_the_asynchronous_readers_buffers()
    {
        var bytes = Encoding.UTF8.GetBytes(UrlSet);
        await ParseOnceAsync(new MemoryStream(bytes), new SitemapOptions());

        // From memory every read completes at once, so the whole parse runs on this thread.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var parsing = ParseOnceAsync(new MemoryStream(bytes), new SitemapOptions());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(parsing.IsCompletedSuccessfully);
        Assert.Equal(3, (await parsing).Result.UrlCount);
        // The asynchronous XmlReader alone allocates a 64 KB byte buffer per file.
        Assert.InRange(allocated, 0, 32 * 1024);
    }

    [Fact]
    public async Task A_file_larger_than_is_read_whole_from_memory_is_streamed_alike()
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        var count = 0;
        while (xml.Length <= SitemapParser.MaxWholeFileBytes * 2)
        {
            xml.Append("<url><loc>https://example.com/page-").Append(count++).Append("/</loc><lastmod>2024-05-01</lastmod></url>\n");
        }

        var (result, urls) = await ParseAsync(Encoding.UTF8.GetBytes(xml.Append("</urlset>").ToString()));

        Assert.Null(result.Error);
        Assert.Equal(count, result.UrlCount);
        Assert.Equal("https://example.com/page-" + (count - 1) + "/", urls[^1].Loc);
    }

    /// A body whose reads never complete at once, as over a network: the parser cannot take it in whole beforehand.
    private sealed class ArrivingStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes, writable: false);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return _inner.Read(buffer.Span);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
