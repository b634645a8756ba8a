using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Tests.Fetching;

/// A fetched page asks for room in the page budget once its answer's head has come, before its body is read: a page
/// waiting for its answer holds nothing, and the wait is not the site's time.
public sealed class PageRoomTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> ShortTimeout = new()
    {
        ["Scanning:ResponseTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task Room_is_asked_for_once_the_answer_has_come_with_its_length_and_the_body_is_read_after()
    {
        var requested = 0;
        var body = new string('x', 40 * 1024);
        fixture.Fleet.Map("room-known-length.test", async context =>
        {
            Interlocked.Increment(ref requested);
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength = body.Length;
            await context.Response.WriteAsync(body, context.RequestAborted);
        });
        using var services = fixture.CreateServices(ShortTimeout);
        var room = new GatedRoom();

        var fetch = services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("http://room-known-length.test/"), room, Ct);
        var length = await room.Asked.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(1, Volatile.Read(ref requested)); // the request went out and was answered before any room was taken
        Assert.Equal(body.Length, length);
        // Held past the response timeout: the wait is the scanner's, and the page is still read whole.
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        Assert.False(fetch.IsCompleted);
        room.Open();
        var page = await fetch.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        using (page.Html)
        {
            Assert.Equal(200, page.StatusCode);
            Assert.Equal(body.Length, page.Bytes);
            Assert.Equal(body, page.Html.ToString());
            Assert.True(page.ElapsedMs < 1500, $"{page.ElapsedMs} ms: the wait for room is not the page's time");
        }
    }

    [Theory]
    [InlineData("room-chunked.test")]
    [InlineData("room-gzip.test")] // its Content-Length is the compressed body's, not the page's
    public async Task An_answer_whose_page_length_is_not_known_asks_without_one(string host)
    {
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<p>a page of unknown length</p>", 500)) + "</body></html>";
        fixture.Fleet.Map("room-chunked.test", async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(html[..100], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await context.Response.WriteAsync(html[100..], context.RequestAborted);
        });
        fixture.Fleet.Map("room-gzip.test", async context =>
        {
            using var output = new MemoryStream();
            await using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(Encoding.UTF8.GetBytes(html), context.RequestAborted);
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = output.Length;
            await context.Response.Body.WriteAsync(output.ToArray(), context.RequestAborted);
        });
        using var services = fixture.CreateServices();
        var room = new GatedRoom(open: true);

        var page = await services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri($"http://{host}/"), room, Ct);
        using var text = page.Html;

        Assert.Equal(html, text.ToString());
        Assert.Null(await room.Asked);
    }

    [Fact]
    public async Task A_page_that_drips_after_its_wait_for_room_still_ends_at_the_response_timeout()
    {
        using var services = fixture.CreateServices(ShortTimeout);
        var room = new GatedRoom();
        var fetch = services.GetRequiredService<IWebFetcher>().GetPageAsync(new Uri("http://drip.hostile.test/"), room, Ct);
        await room.Asked.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);

        room.Open();
        var error = await Assert.ThrowsAsync<ScanException>(() => fetch.WaitAsync(TimeSpan.FromSeconds(10), Ct));

        Assert.Equal("drip.hostile.test did not send a complete response within 1 s.", error.Message);
    }

    [Fact]
    public async Task A_scan_cancelled_while_its_page_waits_for_room_ends_as_cancelled_and_frees_the_sites_slot()
    {
        fixture.Fleet.Map("room-cancel.test", context => context.Response.WriteAsync("<html><body>waiting</body></html>", context.RequestAborted));
        using var services = fixture.CreateServices(new Dictionary<string, string?> { ["Scanning:MaxConcurrentRequestsPerHost"] = "1" });
        var fetcher = services.GetRequiredService<IWebFetcher>();
        using var cancel = new CancellationTokenSource();
        var room = new GatedRoom();

        var fetch = fetcher.GetPageAsync(new Uri("http://room-cancel.test/"), room, cancel.Token);
        await room.Asked.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        // The site's one request slot was given back with the answer it held.
        var next = await fetcher.GetPageAsync(new Uri("http://room-cancel.test/"), new GatedRoom(open: true), Ct)
            .WaitAsync(TimeSpan.FromSeconds(10), Ct);
        using (next.Html)
        {
            Assert.Equal("<html><body>waiting</body></html>", next.Html.ToString());
        }
    }

    /// Room that records what it was asked and lets the page in when the test opens it.
    private sealed class GatedRoom(bool open = false) : IPageRoom
    {
        private readonly TaskCompletionSource<long?> _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = OpenGate(open);

        public Task<long?> Asked => _asked.Task;

        public void Open() => _open.TrySetResult();

        public async ValueTask TakeAsync(long? length, CancellationToken cancellationToken)
        {
            _asked.TrySetResult(length);
            await _open.Task.WaitAsync(cancellationToken);
        }

        private static TaskCompletionSource OpenGate(bool open)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (open)
            {
                gate.SetResult();
            }

            return gate;
        }
    }
}
