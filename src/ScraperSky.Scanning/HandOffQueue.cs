namespace ScraperSky.Scanning;

/// A queue between threads whose takers sleep until an item comes, without spinning first. BlockingCollection's take
/// spins, yielding the core again and again, before it sleeps: the extraction lane's threads and its hand-back thread,
/// which take a few hundred items a second, made about 50 `sched_yield` calls per scanned domain that way (load-run,
/// 3,000 domains: 68,000-70,000 in 15 s of the server, 7,000-9,000 since), on a machine whose cores the scans keep busy.
internal sealed class HandOffQueue<T>
{
    private readonly Queue<T> _items = new();
    private readonly object _gate = new();
    private bool _addingCompleted;
    private int _sleeping;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public bool IsAddingCompleted
    {
        get
        {
            lock (_gate)
            {
                return _addingCompleted;
            }
        }
    }

    /// Queues <paramref name="item"/> and wakes one sleeping taker. Throws <see cref="InvalidOperationException"/> once
    /// adding is completed.
    public void Add(T item)
    {
        lock (_gate)
        {
            if (_addingCompleted)
            {
                throw new InvalidOperationException("The queue takes no more items.");
            }

            _items.Enqueue(item);
            if (_sleeping > 0)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    /// No more items: takers end once the queue is empty.
    public void CompleteAdding()
    {
        lock (_gate)
        {
            _addingCompleted = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// The items in order as they come, sleeping while there are none, until adding is completed and all are taken.
    public IEnumerable<T> GetConsumingEnumerable()
    {
        while (TryTake(out var item))
        {
            yield return item;
        }
    }

    private bool TryTake(out T item)
    {
        lock (_gate)
        {
            while (_items.Count == 0)
            {
                if (_addingCompleted)
                {
                    item = default!;
                    return false;
                }

                _sleeping++;
                Monitor.Wait(_gate);
                _sleeping--;
            }

            item = _items.Dequeue();
            return true;
        }
    }
}
