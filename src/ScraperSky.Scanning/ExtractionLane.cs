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
/// The pages on their way to the lane (being read, waiting as bytes, being extracted) are bounded by their bytes, not
/// by the number of scans: a page is admitted once its answer's head has come and before its body is read
/// (<see cref="PageAdmission"/>, the fetcher's <see cref="Fetching.IPageRoom"/>), and holds its bytes until the scan is
/// done with it. A page waiting for its answer holds nothing: a site's latency, 404s included, takes no room. While
/// the pages held reach <see cref="PageBytes"/>, pages wait before their bodies are read, first come first served, so a
/// machine fast enough to run more scans at once does not hold more pages than the lane can take. A page is reckoned
/// at its Content-Length when the answer gives one, else at the typical size of the pages read (small answers such as
/// error pages left out), until its own bytes are known; an answer known to be small (an error page, an empty body)
/// is let in at once. The first page is always admitted, however large: a scan holds one page at a time and never
/// waits for another while it does, so every wait ends.
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

    /// The budget of bytes that pages in flight may hold (see <see cref="PageAdmission"/>).
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

    /// A page's place in the budget, taken when its fetch has the answer's head (<see cref="PageAdmission.TakeAsync"/>)
    /// and given back when it is disposed.
    public PageAdmission AdmitPage() => new(this);

    // Admits a page of `length` bytes (the typical page when unknown) once the pages in flight hold less than
    // PageBytes (at once while nothing is held, or when the answer is known to be small).
    private ValueTask Admit(PageAdmission admission, long? length, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        lock (_pagesGate)
        {
            admission.Length = length;
            if (length <= SmallAnswer || (_waiting.Count == 0 && HasRoom(admission)))
            {
                Reserve(admission);
                return ValueTask.CompletedTask;
            }

            admission.Queue(_waiting.AddLast(admission), cancellationToken);
        }

        return new(admission.Admitted);
    }

    // Under _pagesGate.
    private bool HasRoom(PageAdmission admission) => _pageBytesHeld == 0 || _pageBytesHeld + BytesOf(admission) <= PageBytes;

    // Under _pagesGate.
    private long BytesOf(PageAdmission admission) => admission.Length ?? _typicalPage;

    // Under _pagesGate.
    private void Reserve(PageAdmission admission)
    {
        admission.Bytes = BytesOf(admission);
        _pageBytesHeld += admission.Bytes;
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

    private void Release(PageAdmission admission, LinkedListNode<PageAdmission>? place)
    {
        List<PageAdmission>? admitted;
        lock (_pagesGate)
        {
            if (place?.List is not null)
            {
                _waiting.Remove(place);
            }

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
        while (_waiting.First is { } first && HasRoom(first.Value))
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

    /// A page's place in the lane's budget: taken when its answer's head has come (<see cref="TakeAsync"/>), held until
    /// the scan is done with the page.
    public sealed class PageAdmission : Fetching.IPageRoom, IDisposable
    {
        private readonly ExtractionLane _lane;
        private TaskCompletionSource? _admitted;
        private LinkedListNode<PageAdmission>? _place;
        private CancellationTokenRegistration _cancelWhileWaiting;
        private bool _taken;
        private bool _released;

        internal PageAdmission(ExtractionLane lane) => _lane = lane;

        /// Bytes reserved or held, under the lane's lock.
        internal long Bytes { get; set; }

        /// The answer's Content-Length, when it gave one; under the lane's lock.
        internal long? Length { get; set; }

        internal Task Admitted => _admitted!.Task;

        /// Waits until the budget has room for the page: <paramref name="length"/> bytes when known, else a typical
        /// page's, until <see cref="Hold"/> gives its own. Asked once; a cancelled token ends the wait and takes the
        /// page's place out of the queue.
        public ValueTask TakeAsync(long? length, CancellationToken cancellationToken)
        {
            if (length < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(length));
            }

            if (_taken || _released)
            {
                throw new InvalidOperationException(_released ? "The page's place was given back." : "The page's place was taken already.");
            }

            _taken = true;
            return _lane.Admit(this, length, cancellationToken);
        }

        // Under the lane's lock.
        internal void Queue(LinkedListNode<PageAdmission> place, CancellationToken cancellationToken)
        {
            // Continuations go back to the thread pool, not onto the thread of the scan that released its page.
            _admitted = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _place = place;
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
            _admitted!.TrySetResult();
        }

        /// The page's bytes, once read: they replace what was reserved at admission.
        public void Hold(long bytes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(bytes);
            if (_taken && !_released)
            {
                _lane.Resize(this, bytes);
            }
        }

        /// Gives the page's bytes back (or its place in the queue), once however often it is called.
        public void Dispose()
        {
            if (!_released)
            {
                _released = true;
                if (_taken)
                {
                    _cancelWhileWaiting.Dispose();
                    _lane.Release(this, _place);
                    // A wait still going on ends: the page will not be read.
                    _admitted?.TrySetException(new ObjectDisposedException(nameof(PageAdmission)));
                }
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
