using ScraperSky.Data.Sitemaps;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Jobs;

/// A finished scan to store: see <see cref="JobQueue.CompleteAsync(ClaimedJob, SiteMetadata, SitemapStore?, CancellationToken)"/>.
public sealed record JobCompletion(ClaimedJob Job, SiteMetadata Metadata, SitemapStore? Sitemaps);

/// Stores a process's finished scans in groups: one that ends while a group is being stored waits for it and goes with
/// the others that ended meanwhile in the next transaction (<see cref="JobQueue.CompleteAsync(IReadOnlyList{JobCompletion}, CancellationToken)"/>).
/// Nothing waits for a group to fill: a scan that ends with none being stored stores its own at once. One group is
/// stored at a time, so the process's completions no longer queue for SQLite's write lock one against the other (each
/// held a thread-pool thread in the busy handler's sleeps), and the pages they share are written to the WAL once per
/// group. Each group is stored by the first scan in it, on that scan's thread: a thread stores one group, then hands
/// the next to the first scan waiting. A group whose transaction fails stores nothing; its scans are then stored one by
/// one by their callers, so a result the database refuses fails its own job only.
public sealed class CompletionGroups(Func<IReadOnlyList<JobCompletion>, Task<IReadOnlyList<bool>>> store)
{
    /// The most scans in one transaction. On SQLite a transaction's changed pages stay in the connection's page cache
    /// (2 MB, ~500 pages) until it commits, and past it are written to the WAL early, then again; and the group holds
    /// the write lock while it is stored, so the progress tick, claims and API writes wait that long.
    public const int MaxGroup = 8;

    private readonly Lock _lock = new();
    private readonly List<Waiter> _waiting = [];

    // True from when a scan starts storing a group until the last group leaves with none waiting: every scan that waits
    // meanwhile is stored by a group, or given a group of its own to store.
    private bool _storing;

    private enum Outcome
    {
        Stored,
        LeaseLost,
        GroupFailed,
        StoreNext,
    }

    // A scan waiting for its group, or for its turn to store the next one.
    private sealed class Waiter(JobCompletion completion)
    {
        public JobCompletion Completion => completion;

        public TaskCompletionSource<Outcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// Whether <paramref name="completion"/> was stored (false: its lease was lost and nothing of it written), or null
    /// when its group's transaction failed: nothing of it was written, and the caller stores it on its own. A group of
    /// one that fails throws what it failed with.
    public async Task<bool?> StoreAsync(JobCompletion completion)
    {
        var waiter = new Waiter(completion);
        bool first;
        lock (_lock)
        {
            _waiting.Add(waiter);
            first = !_storing;
            _storing = true;
        }

        // The first of those waiting stores them, itself included.
        var outcome = first ? await StoreNextGroupAsync() : await waiter.Outcome.Task;
        if (outcome == Outcome.StoreNext)
        {
            outcome = await StoreNextGroupAsync();
        }

        return outcome switch
        {
            Outcome.Stored => true,
            Outcome.LeaseLost => false,
            _ => null,
        };
    }

    /// Stores the scans waiting longest, up to <see cref="MaxGroup"/>; the first of them is the caller's, whose outcome
    /// it returns.
    private async Task<Outcome> StoreNextGroupAsync()
    {
        List<Waiter> group;
        lock (_lock)
        {
            var count = Math.Min(_waiting.Count, MaxGroup);
            group = _waiting.GetRange(0, count);
            _waiting.RemoveRange(0, count);
        }

        try
        {
            var stored = await store([.. group.Select(w => w.Completion)]);
            for (var i = 1; i < group.Count; i++)
            {
                group[i].Outcome.SetResult(stored[i] ? Outcome.Stored : Outcome.LeaseLost);
            }

            return stored[0] ? Outcome.Stored : Outcome.LeaseLost;
        }
        catch (Exception) when (group.Count > 1)
        {
            for (var i = 1; i < group.Count; i++)
            {
                group[i].Outcome.SetResult(Outcome.GroupFailed);
            }

            return Outcome.GroupFailed;
        }
        finally
        {
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _storing = false;
                }
                else
                {
                    _waiting[0].Outcome.SetResult(Outcome.StoreNext);
                }
            }
        }
    }
}
