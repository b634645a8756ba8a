using System.Collections.Concurrent;
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
/// The lane's threads run at a lower OS priority (<see cref="BackgroundPriority"/>), which a thread passes on to every
/// thread it starts, and the thread pool starts a worker on the thread that queues work when none is idle: finished
/// work, whose completion queues the scans' continuations, is therefore handed back by a thread of its own at normal
/// priority, so that no pool worker (nor any it starts in turn) is born at the lane's.
public sealed class ExtractionLane : IDisposable
{
    private readonly BlockingCollection<Work> _queue = new(new ConcurrentQueue<Work>());
    private readonly BlockingCollection<Work> _finished = new(new ConcurrentQueue<Work>());
    private readonly Thread[] _threads;
    private int _running;

    public ExtractionLane()
        : this(Environment.ProcessorCount)
    {
    }

    public ExtractionLane(int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Width = width;
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
            _queue.Add(item, CancellationToken.None);
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
