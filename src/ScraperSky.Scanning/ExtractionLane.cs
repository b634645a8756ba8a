using System.Globalization;

namespace ScraperSky.Scanning;

/// Where scans do their CPU-bound work (parsing and extracting pages): a few threads of its own, one per core by
/// default, instead of the thread pool. On the pool, a hundred scans' extractions of 10 ms each queue ahead of every
/// other work item of the process, and the API's requests wait behind them (60 status requests a second during a
/// batch). Here they wait in their own queue, first come first served, and the pool stays free for I/O and requests.
/// At most <see cref="Width"/> pages are parsed at once, which also bounds the parsed documents alive at a time.
///
/// Work waiting for a thread is dropped when its token is cancelled (a scan's deadline), so a long queue never holds a
/// scan past its deadline.
///
/// The pages on their way to the lane (being fetched, waiting as bytes, being extracted) are bounded by their bytes,
/// not by the number of scans: a scan is admitted before it fetches a page (<see cref="AdmitPageAsync"/>) and holds the
/// page's bytes until it is done with it. While the pages held reach <see cref="PageBytes"/>, scans wait before
/// fetching, first come first served, so a machine fast enough to run more scans at once does not hold more pages than
/// the lane can take. A page is reckoned at the typical size of the pages read (small answers such as error pages
/// left out) until its own bytes are known. The first page is always admitted, however large: a scan holds one page
/// at a time and never waits for another while it does, so every wait ends.
///
/// The lane's threads run at a lower OS priority (<see cref="BackgroundPriority"/>), which a thread passes on to every
/// thread it starts, and the thread pool starts a worker on the thread that queues work when none is idle: finished
/// work, whose completion queues the scans' continuations, is therefore handed back by a thread of its own at normal
/// priority, so that no pool worker (nor any it starts in turn) is born at the lane's.
public sealed class ExtractionLane : IDisposable
{
    private readonly HandOffQueue<Work> _queue = new();
    private readonly HandOffQueue<Work> _finished = new();
    private readonly Thread[] _threads;
    private int _running;

    // The page budget's state, under _pagesGate: bytes reserved or held by admitted pages, the scans waiting in order,
    // and what a page is reckoned to hold until its bytes are known (a moving average of the pages read).
    private readonly Lock _pagesGate = new();
    private readonly LinkedList<PageAdmission> _waiting = [];
    private long _pageBytesHeld;
    private long _typicalPage = TypicalPageAtStart;

    /// Bytes of pages in flight by default. At a quarter of a megabyte a page, about 64 pages: the lane takes a few
    /// hundred pages a second, and a page spends about a tenth of a second on the way (the response's latency), so the
    /// lane is not kept waiting; 128 scans at once held up to twice as many (load-run, 10,000 domains).
    public const long DefaultPageBytes = 16L * 1024 * 1024;

    private const long TypicalPageAtStart = 256 * 1024;

    /// Answers this small (an error page, an empty body) do not move the typical page: they are let go as soon as they
    /// are read, and a site's 404s for the contact pages it lacks, counted in, made the typical page a few kilobytes,
    /// so that the budget admitted nearly every scan at once and the pages they then read overran it (load-run, 128
    /// scans with a 4 MB budget: 67 pages admitted at once, 121 waiting for the lane).
    private const long SmallAnswer = 16 * 1024;

    public ExtractionLane()
        : this(Environment.ProcessorCount)
    {
    }

    public ExtractionLane(int width, long pageBytes = DefaultPageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageBytes);
        Width = width;
        PageBytes = pageBytes;
        _running = width;
        _threads = new Thread[width];
        for (var i = 0; i < width; i++)
        {
            // Background threads: a host that exits without disposing the lane is not kept alive by it. At a lower OS
            // priority: extraction is the scans' CPU-bound bulk, and on a busy machine the threads that answer requests
            // and move the scans' I/O along (the thread pool) get the cores first; the lane has whatever they leave.
            _threads[i] = new Thread(() =>
            {
                BackgroundPriority.LowerCurrentThread();
                Serve();
            })
            {
                IsBackground = true,
                Name = $"Extraction {(i + 1).ToString(CultureInfo.InvariantCulture)}",
            };
            _threads[i].Start();
        }

        new Thread(HandBack) { IsBackground = true, Name = "Extraction done" }.Start();
    }

    /// How many pieces of work run at once.
    public int Width { get; }

    /// Work waiting for a thread.
    public int Queued => _queue.Count;

    /// The budget of bytes that pages in flight may hold (see <see cref="AdmitPageAsync"/>).
    public long PageBytes { get; }

    /// Bytes held or reserved by the pages admitted and not yet released.
    public long PageBytesHeld
    {
        get
        {
            lock (_pagesGate)
            {
                return _pageBytesHeld;
            }
        }
    }

    /// Admits one page to be fetched and extracted, once the pages in flight hold less than <see cref="PageBytes"/>
    /// (at once while nothing is held). The admission reserves a typical page's bytes until
    /// <see cref="PageAdmission.Hold"/> gives the page's own; disposing it gives them back and lets the next scan in.
    /// A cancelled token ends the wait and takes the scan's place out of the queue.
    public ValueTask<PageAdmission> AdmitPageAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<PageAdmission>(cancellationToken);
        }

        var admission = new PageAdmission(this);
        lock (_pagesGate)
        {
            if (_waiting.Count == 0 && HasRoom())
            {
                Reserve(admission);
                return ValueTask.FromResult(admission);
            }

            admission.Queue(_waiting.AddLast(admission), cancellationToken);
        }

        return new(admission.Admitted);
    }

    // Under _pagesGate.
    private bool HasRoom() => _pageBytesHeld == 0 || _pageBytesHeld + _typicalPage <= PageBytes;

    // Under _pagesGate.
    private void Reserve(PageAdmission admission)
    {
        admission.Bytes = _typicalPage;
        _pageBytesHeld += _typicalPage;
    }

    private void Resize(PageAdmission admission, long bytes)
    {
        List<PageAdmission>? admitted;
        lock (_pagesGate)
        {
            _pageBytesHeld += bytes - admission.Bytes;
            admission.Bytes = bytes;
            if (bytes > SmallAnswer)
            {
                _typicalPage += (bytes - _typicalPage) / 8;
            }
            admitted = AdmitWaiting();
        }

        Complete(admitted);
    }

    private void Release(PageAdmission admission)
    {
        List<PageAdmission>? admitted;
        lock (_pagesGate)
        {
            _pageBytesHeld -= admission.Bytes;
            admission.Bytes = 0;
            admitted = AdmitWaiting();
        }

        Complete(admitted);
    }

    /// Takes a waiting scan's place out of the queue; false when it was admitted first.
    private bool Withdraw(LinkedListNode<PageAdmission> place)
    {
        lock (_pagesGate)
        {
            if (place.List is null)
            {
                return false;
            }

            _waiting.Remove(place);
            return true;
        }
    }

    // Under _pagesGate: the waiting scans that now fit, in order, their bytes reserved; completed outside the lock.
    private List<PageAdmission>? AdmitWaiting()
    {
        List<PageAdmission>? admitted = null;
        while (_waiting.First is { } first && HasRoom())
        {
            _waiting.RemoveFirst();
            Reserve(first.Value);
            (admitted ??= []).Add(first.Value);
        }

        return admitted;
    }

    private static void Complete(List<PageAdmission>? admitted)
    {
        foreach (var admission in admitted ?? [])
        {
            admission.Admit();
        }
    }

    /// Runs <paramref name="work"/> on one of the lane's threads; the caller continues on the thread pool. An exception
    /// of <paramref name="work"/> is the task's; a cancelled token cancels the work if it has not started.
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var item = new Work<T>(work, cancellationToken);
        try
        {
            _queue.Add(item);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(ExtractionLane));
        }

        return item.Task;
    }

    private void Serve()
    {
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            if (work.Run())
            {
                _finished.Add(work);
            }
        }

        // The last thread to end lets the hand-back thread end once it has handed back what is left.
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _finished.CompleteAdding();
        }
    }

    private void HandBack()
    {
        foreach (var work in _finished.GetConsumingEnumerable())
        {
            work.Complete();
        }
    }

    /// Lets the work already queued finish, then ends the threads; later work is refused.
    public void Dispose()
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
        }
    }

    /// A page's place in the lane's budget, from before its fetch until the scan is done with it.
    public sealed class PageAdmission : IDisposable
    {
        private readonly ExtractionLane _lane;
        private TaskCompletionSource<PageAdmission>? _admitted;
        private CancellationTokenRegistration _cancelWhileWaiting;
        private bool _released;

        internal PageAdmission(ExtractionLane lane) => _lane = lane;

        /// Bytes reserved or held, under the lane's lock.
        internal long Bytes { get; set; }

        internal Task<PageAdmission> Admitted => _admitted!.Task;

        // Under the lane's lock.
        internal void Queue(LinkedListNode<PageAdmission> place, CancellationToken cancellationToken)
        {
            // Continuations go back to the thread pool, not onto the thread of the scan that released its page.
            _admitted = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _cancelWhileWaiting = cancellationToken.Register(static state =>
            {
                var (admission, place, token) = ((PageAdmission, LinkedListNode<PageAdmission>, CancellationToken))state!;
                if (admission._lane.Withdraw(place))
                {
                    admission._admitted!.TrySetCanceled(token);
                }
            }, (this, place, cancellationToken));
        }

        internal void Admit()
        {
            _cancelWhileWaiting.Dispose();
            _admitted!.TrySetResult(this);
        }

        /// The page's bytes, once read: they replace the typical page reserved at admission.
        public void Hold(long bytes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(bytes);
            if (!_released)
            {
                _lane.Resize(this, bytes);
            }
        }

        /// Gives the page's bytes back, once however often it is called.
        public void Dispose()
        {
            if (!_released)
            {
                _released = true;
                _lane.Release(this);
            }
        }
    }

    private abstract class Work
    {
        /// Runs the work on a lane thread, keeping its outcome; false when it was cancelled before it started.
        public abstract bool Run();

        /// Completes the caller's task with the outcome kept by <see cref="Run"/>.
        public abstract void Complete();
    }

    private sealed class Work<T> : Work
    {
        // Continuations go back to the thread pool: the rest of a scan is I/O and must not occupy a lane thread.
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Func<T> _work;
        private readonly CancellationToken _cancellationToken;
        private readonly CancellationTokenRegistration _cancelWhileQueued;
        private T? _result;
        private Exception? _exception;
        private bool _cancelled;

        public Work(Func<T> work, CancellationToken cancellationToken)
        {
            _work = work;
            _cancellationToken = cancellationToken;
            _cancelWhileQueued = cancellationToken.Register(static s => ((Work<T>)s!).Cancel(), this);
        }

        public Task<T> Task => _done.Task;

        private void Cancel() => _done.TrySetCanceled(_cancellationToken);

        public override bool Run()
        {
            _cancelWhileQueued.Dispose();
            if (_done.Task.IsCompleted)
            {
                return false;
            }

            try
            {
                _result = _work();
            }
            catch (OperationCanceledException e) when (e.CancellationToken == _cancellationToken && _cancellationToken.IsCancellationRequested)
            {
                _cancelled = true;
            }
            catch (Exception e)
            {
                _exception = e;
            }

            return true;
        }

        public override void Complete()
        {
            if (_cancelled)
            {
                _done.TrySetCanceled(_cancellationToken);
            }
            else if (_exception is not null)
            {
                _done.TrySetException(_exception);
            }
            else
            {
                _done.TrySetResult(_result!);
            }
        }
    }
}
