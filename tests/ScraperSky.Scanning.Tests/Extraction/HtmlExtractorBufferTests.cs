using System.Text.Json;
using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Tests.Extraction;

/// What an extraction keeps of its buffers and parse trees: they come from pools and go back to them, so extracting
/// pages one after another on a thread does not take a page's worth of memory from the heap for each, and what an
/// extraction returns never points into them.
public sealed class HtmlExtractorBufferTests
{
    [Fact]
    public void Extracting_a_page_again_takes_no_page_sized_buffer_from_the_heap()
    {
        // A page whose bulk is a comment: nothing of it reaches the tree, the text or the results, so what an extraction
        // allocates of the page's size is a buffer (the tokenizer's, the tree's text, the walk's) that missed its pool.
        var html = "<html><head><title>t</title></head><body><p>hi</p><!--" + new string('x', 300_000) + "--></body></html>";
        var page = FixturePages.Page(new Uri("https://big.test/"), html);
        var fewest = long.MaxValue;

        // The shared pool is shared with the tests running beside this one: the least of a few extractions is this one's own.
        for (var i = 0; i < 6; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            FixturePages.Extractor.Extract(page, null, cancellationToken: TestContext.Current.CancellationToken);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(fewest < html.Length / 2, $"{fewest} bytes");
    }

    [Fact]
    public void What_an_extraction_returns_is_unchanged_by_the_pages_extracted_after_it_on_the_thread()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Sites"), "*.html", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var results = new List<(PageExtraction Result, string Snapshot)>();
        foreach (var file in files)
        {
            var result = FixturePages.Extractor.Extract(
                FixturePages.Page(new Uri("https://fixture.test/"), File.ReadAllText(file)), null, cancellationToken: TestContext.Current.CancellationToken);
            results.Add((result, Snapshot(result)));
        }

        Assert.All(results, r => Assert.Equal(r.Snapshot, Snapshot(r.Result)));
    }

    private static string Snapshot(PageExtraction result) => JsonSerializer.Serialize(new
    {
        result.Title,
        result.Description,
        result.Language,
        result.LanguageSource,
        result.FaviconUrl,
        result.LogoUrl,
        result.Emails,
        result.Phones,
        result.SocialLinks,
        result.SocialProfileUrls,
        result.Technologies,
        result.Performance,
        result.Company,
        result.IsLegalNotice,
        result.Region,
        Links = result.Links.Select(l => new { l.Href, l.Text, BaseUrl = l.BaseUrl.AbsoluteUri }),
    });
}
