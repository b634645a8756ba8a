namespace ScraperSky.Scanning.Tests.Extraction;

/// What an extraction keeps of its page-sized buffers: they come from pools and go back to them, so extracting pages
/// one after another on a thread does not take a page's worth of memory from the heap for each.
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
            FixturePages.Extractor.Extract(page, null, TestContext.Current.CancellationToken);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(fewest < html.Length / 2, $"{fewest} bytes");
    }
}
