using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Testing.Processes;

namespace ScraperSky.Scanning.Tests;

public sealed class ExtractionLaneTests(FleetFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Work_runs_on_the_lanes_own_threads_at_most_its_width_at_a_time()
    {
        using var lane = new ExtractionLane(2);
        var running = 0;
        var most = 0;
        var onPool = 0;

        var work = Enumerable.Range(0, 8).Select(i => lane.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            if (Thread.CurrentThread.IsThreadPoolThread)
            {
                Interlocked.Increment(ref onPool);
            }

            Thread.Sleep(30);
            Interlocked.Decrement(ref running);
            return i;
        }, Ct)).ToList();

        Assert.Equal(Enumerable.Range(0, 8), await Task.WhenAll(work));
        Assert.Equal(2, most);
        Assert.Equal(0, onPool);
    }

    [Fact]
    public async Task Lane_threads_run_at_a_lower_os_priority_on_linux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Per-thread nice values are Linux's.");
        using var lane = new ExtractionLane(1);

        Assert.Equal(BackgroundPriority.Nice, await lane.RunAsync(CurrentThreadNice, Ct));
    }

    [Fact]
    public async Task Finished_work_is_handed_back_from_a_thread_at_normal_priority()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Per-thread nice values are Linux's.");
        using var lane = new ExtractionLane(1);
        using var registered = new ManualResetEventSlim();
        var scheduler = new RecordingScheduler();

        // The thread that completes the work queues its continuations, and the thread pool starts a worker on the thread
        // that queues work when it has none idle: the worker would inherit that thread's nice value, 10 on the lane (and
        // so would every worker that one starts). A scheduler's QueueTask runs on the completing thread.
        var work = lane.RunAsync(() => registered.Wait(TimeSpan.FromSeconds(30)), Ct);
        var continuation = work.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, scheduler);
        registered.Set();
        await continuation;

        Assert.Equal(0, scheduler.QueuedAtNice);
    }

    [Fact]
    public async Task The_caller_continues_on_the_thread_pool_not_on_a_lane_thread()
    {
        using var lane = new ExtractionLane(1);

        // On the pool there is no context to return to: a continuation would run inline where the task completed, the lane.
        var continuedOnPool = await Task.Run(async () =>
        {
            await lane.RunAsync(() => 1, Ct);
            return Thread.CurrentThread.IsThreadPoolThread;
        }, Ct);

        Assert.True(continuedOnPool);
    }

    [Fact]
    public async Task Work_still_queued_when_its_token_is_cancelled_is_cancelled_and_never_runs()
    {
        using var lane = new ExtractionLane(1);
        using var release = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();
        var blocker = lane.RunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), Ct);
        var ran = false;

        var queued = lane.RunAsync(() => ran = true, cancel.Token);
        await cancel.CancelAsync();

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(cancel.Token, cancelled.CancellationToken);
        release.Set();
        Assert.True(await blocker);
        await lane.RunAsync(() => 0, Ct); // everything queued before it has been served
        Assert.False(ran);
    }

    [Fact]
    public async Task An_exception_of_the_work_is_the_callers()
    {
        using var lane = new ExtractionLane(1);

        var thrown = await Assert.ThrowsAsync<ScanException>(() => lane.RunAsync<int>(() => throw new ScanException("over budget", false), Ct));

        Assert.Equal("over budget", thrown.Message);
        Assert.Equal(3, await lane.RunAsync(() => 3, Ct)); // the thread survives it
    }

    [Fact]
    public async Task A_disposed_lane_refuses_work_with_a_clear_error()
    {
        var lane = new ExtractionLane(1);
        lane.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => lane.RunAsync(() => 1, Ct));
    }

    [Fact]
    public async Task A_scan_whose_page_waits_for_a_busy_lane_past_its_deadline_ends_with_the_deadline_error()
    {
        using var lane = new ExtractionLane(1);
        using var release = new ManualResetEventSlim();
        using var services = fixture.CreateServices(
            new Dictionary<string, string?> { ["Scanning:ScanDeadline"] = "00:00:01" }, s => s.AddSingleton(lane));
        var busy = lane.RunAsync(() => release.Wait(TimeSpan.FromSeconds(30)), Ct);

        try
        {
            var failure = await Assert.ThrowsAsync<ScanException>(() => services.GetRequiredService<IDomainScanner>()
                .ScanAsync(new ScanRequest { Domain = "basic.test" }, null, Ct));

            Assert.Equal("The homepage of basic.test could not be read within the scan's time limit of 1 s.", failure.Message);
            Assert.True(failure.IsTransient);
            Assert.False(busy.IsCompleted); // the page never got a thread: the deadline ended its wait
        }
        finally
        {
            release.Set();
            await busy;
        }
    }

    [Fact]
    public async Task Pages_past_the_byte_budget_wait_and_are_let_in_in_order_as_bytes_are_given_back()
    {
        // Room for two typical pages (a quarter of a megabyte each until pages are read), not three.
        using var lane = new ExtractionLane(1, pageBytes: 600 * 1024);
        var first = await Admit(lane, Ct);
        var second = await Admit(lane, Ct);
        var third = Admit(lane, Ct);
        var fourth = Admit(lane, Ct);

        Assert.Equal(512 * 1024, lane.PageBytesHeld);
        first.Hold(300 * 1024); // larger than reserved: still no room
        Assert.False(third.IsCompleted);
        first.Dispose();
        var admittedThird = await third.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.False(fourth.IsCompleted); // one page's bytes freed, one page let in
        first.Dispose(); // a second dispose gives nothing back twice
        Assert.False(fourth.IsCompleted);

        second.Dispose();
        admittedThird.Dispose();
        (await fourth.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Dispose();
        Assert.Equal(0, lane.PageBytesHeld);
    }

    [Fact]
    public async Task Small_answers_do_not_shrink_what_the_next_pages_are_reckoned_at()
    {
        // Room for two typical pages, not three. A site's missing contact pages answer 404 with next to nothing: had
        // they counted, forty of them would have brought the typical page from 256 KB to under 1 KB, and the budget
        // would have let every scan in at once.
        using var lane = new ExtractionLane(1, pageBytes: 600 * 1024);
        for (var i = 0; i < 40; i++)
        {
            using var notFound = await Admit(lane, Ct);
            notFound.Hold(i % 2 == 0 ? 0 : 4 * 1024);
        }

        using var first = await Admit(lane, Ct);
        using var second = await Admit(lane, Ct);
        var third = Admit(lane, Ct);

        Assert.Equal(512 * 1024, lane.PageBytesHeld);
        Assert.False(third.IsCompleted);

        // Pages that are read do teach it: after pages of 100 KB, a page is reckoned at about that.
        first.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Dispose();
        second.Dispose();
        for (var i = 0; i < 40; i++)
        {
            using var page = await Admit(lane, Ct);
            page.Hold(100 * 1024);
        }

        using var a = await Admit(lane, Ct);
        using var b = await Admit(lane, Ct);
        using var c = await Admit(lane, Ct);
        Assert.InRange(lane.PageBytesHeld, 3 * 100 * 1024, 3 * 110 * 1024);
    }

    [Fact]
    public async Task A_page_larger_than_the_whole_budget_is_let_in_when_nothing_else_is_held()
    {
        using var lane = new ExtractionLane(1, pageBytes: 1);
        using (var only = await Admit(lane, Ct))
        {
            only.Hold(5 * 1024 * 1024);
            var next = Admit(lane, Ct);
            Assert.False(next.IsCompleted);
            only.Dispose();
            (await next.WaitAsync(TimeSpan.FromSeconds(10), Ct)).Dispose();
        }

        Assert.Equal(0, lane.PageBytesHeld);
    }

    [Fact]
    public async Task A_scan_whose_wait_for_the_budget_is_cancelled_leaves_the_queue_and_holds_nothing()
    {
        using var lane = new ExtractionLane(1, pageBytes: 1);
        using var cancel = new CancellationTokenSource();
        var held = await Admit(lane, Ct);
        var cancelled = Admit(lane, cancel.Token);
        var after = Admit(lane, Ct);

        await cancel.CancelAsync();
        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(cancel.Token, thrown.CancellationToken);
        held.Dispose();

        // The cancelled scan's place went to the next one, and it holds no bytes.
        using var next = await after.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(256 * 1024, lane.PageBytesHeld);
    }

    [Fact]
    public async Task A_page_of_known_length_is_reckoned_at_it_and_an_answer_known_to_be_small_is_let_in_at_once()
    {
        using var lane = new ExtractionLane(1, pageBytes: 600 * 1024);
        using var large = await Admit(lane, Ct, length: 500 * 1024);
        Assert.Equal(500 * 1024, lane.PageBytesHeld);
        var unknown = Admit(lane, Ct); // a typical page, 256 KB: no room
        var known = Admit(lane, Ct, length: 90 * 1024); // would fit, but waits its turn

        // A 404's empty body and a small error page pass the queue: they hold next to nothing, and only for a moment.
        using (var empty = await Admit(lane, Ct, length: 0).WaitAsync(TimeSpan.FromSeconds(10), Ct))
        using (var small = await Admit(lane, Ct, length: 4 * 1024).WaitAsync(TimeSpan.FromSeconds(10), Ct))
        {
            Assert.Equal(504 * 1024, lane.PageBytesHeld);
        }

        Assert.False(unknown.IsCompleted);
        Assert.False(known.IsCompleted);
        large.Dispose();
        using var second = await unknown.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        using var third = await known.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal((256 + 90) * 1024, lane.PageBytesHeld);
    }

    [Fact]
    public async Task A_page_given_back_while_it_waits_for_room_leaves_the_queue()
    {
        using var lane = new ExtractionLane(1, pageBytes: 1);
        var held = await Admit(lane, Ct);
        var waiting = lane.AdmitPage();
        var wait = waiting.TakeAsync(null, Ct).AsTask();
        var after = Admit(lane, Ct);

        waiting.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Throws<InvalidOperationException>(() => { _ = waiting.TakeAsync(null, Ct); });
        held.Dispose();

        using var next = await after.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(256 * 1024, lane.PageBytesHeld);
    }

    [Fact]
    public void A_page_whose_answer_never_came_gives_back_nothing_and_asks_once()
    {
        using var lane = new ExtractionLane(1, pageBytes: 1);
        var neverAnswered = lane.AdmitPage();
        neverAnswered.Hold(300 * 1024);
        neverAnswered.Dispose();
        Assert.Equal(0, lane.PageBytesHeld);

        var page = lane.AdmitPage();
        Assert.True(page.TakeAsync(1024, Ct).IsCompletedSuccessfully);
        Assert.Throws<InvalidOperationException>(() => { _ = page.TakeAsync(1024, Ct); });
        page.Dispose();
        Assert.Equal(0, lane.PageBytesHeld);
    }

    [Fact]
    public async Task Scans_complete_when_the_page_budget_lets_one_page_in_at_a_time_and_give_every_byte_back()
    {
        using var lane = new ExtractionLane(2, pageBytes: 1);
        var fetched = new ConcurrentQueue<FetchedPage>();
        var reading = 0;
        var most = 0;
        var alive = 0;
        using var services = fixture.CreateServices(replace: s => s.AddSingleton(lane).AddTransient<IWebFetcher>(
            sp => new CountingFetcher(ActivatorUtilities.CreateInstance<WebFetcher>(sp), fetched, () =>
            {
                InterlockedMax(ref most, Interlocked.Increment(ref reading));
                InterlockedMax(ref alive, fetched.Count(IsAlive));
            }, () => Interlocked.Decrement(ref reading))));
        var scanner = services.GetRequiredService<IDomainScanner>();

        // Pages read, skipped (contact-crawl.test links a missing page) and failing the scan, eight scans at once.
        var scans = new[] { "contact-crawl.test", "basic.test", "contact-crawl.test", "basic.test", "og-fallback.test", "redirect.test" }
            .Select(domain => scanner.ScanAsync(new ScanRequest { Domain = domain }, null, Ct)).ToList();
        var failures = new[] { "cf-challenge.test", "no-such-site.test" }
            .Select(domain => Assert.ThrowsAsync<ScanException>(() => scanner.ScanAsync(new ScanRequest { Domain = domain }, null, Ct))).ToList();

        Assert.All(await Task.WhenAll(scans), metadata => Assert.NotNull(metadata.Title));
        await Task.WhenAll(failures);
        Assert.True(fetched.Count >= 10, $"{fetched.Count} pages fetched");
        Assert.Equal(1, most); // one page's body read at a time,
        Assert.Equal(0, alive); // and only once the one before was given back
        Assert.Equal(0, lane.PageBytesHeld);
    }

    /// A page admitted as a fetch admits it once its answer's head has come (of unknown length unless given).
    private static async Task<ExtractionLane.PageAdmission> Admit(ExtractionLane lane, CancellationToken cancellationToken, long? length = null)
    {
        var admission = lane.AdmitPage();
        await admission.TakeAsync(length, cancellationToken);
        return admission;
    }

    private static bool IsAlive(FetchedPage page)
    {
        try
        {
            page.Html.CopyStart([]);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var previous && previous != seen)
        {
            seen = previous;
        }
    }

    /// The calling thread's nice value (/proc/thread-self/stat).
    private static int CurrentThreadNice() =>
        (int)ProcStat.Parse(File.ReadAllText("/proc/thread-self/stat")).Field(ProcStat.Nice);

    /// Calls <c>admitted</c> as each page the scanner fetches into the page budget is let in and <c>ended</c> when its
    /// fetch ends; keeps those pages. The answers' lengths are hidden from the budget, so that every page is reckoned at
    /// a typical page's size, as a compressed answer is, and none is let in for being small.
    private sealed class CountingFetcher(IWebFetcher inner, ConcurrentQueue<FetchedPage> fetched, Action admitted, Action ended) : IWebFetcher
    {
        public async Task<FetchedPage> GetPageAsync(Uri url, IPageRoom? room, CancellationToken cancellationToken)
        {
            if (room is null)
            {
                return await inner.GetPageAsync(url, null, cancellationToken);
            }

            var counted = new CountingRoom(room, admitted);
            try
            {
                var page = await inner.GetPageAsync(url, counted, cancellationToken);
                fetched.Enqueue(page);
                return page;
            }
            finally
            {
                if (counted.Admitted)
                {
                    ended();
                }
            }
        }

        public Task<FetchedStream> OpenAsync(Uri url, long maxBytes, Func<Uri, bool>? mayRedirectTo, CancellationToken cancellationToken) =>
            inner.OpenAsync(url, maxBytes, mayRedirectTo, cancellationToken);

        private sealed class CountingRoom(IPageRoom inner, Action admitted) : IPageRoom
        {
            public bool Admitted { get; private set; }

            public async ValueTask TakeAsync(long? length, CancellationToken cancellationToken)
            {
                await inner.TakeAsync(null, cancellationToken);
                Admitted = true;
                admitted();
            }
        }
    }

    /// Runs its tasks on the thread pool, noting the nice value of the thread that queued the last one.
    private sealed class RecordingScheduler : TaskScheduler
    {
        public int QueuedAtNice { get; private set; } = -1;

        protected override void QueueTask(Task task)
        {
            QueuedAtNice = CurrentThreadNice();
            ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
        }

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

        protected override IEnumerable<Task> GetScheduledTasks() => [];
    }
}
