using System.Diagnostics;
using ScraperSky.Data.Sitemaps;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Jobs;

/// A finished scan to store: see <see cref="JobQueue.CompleteAsync(ClaimedJob, SiteMetadata, SitemapStore?, CancellationToken)"/>.
public sealed record JobCompletion(ClaimedJob Job, SiteMetadata Metadata, SitemapStore? Sitemaps);

/// Stores a process's finished scans in groups: one that ends while a group is being stored waits for it and goes with
/// the others that ended meanwhile in the next transaction (<see cref="JobQueue.CompleteAsync(IReadOnlyList{JobCompletion}, CancellationToken)"/>).
/// Nothing waits for a group to fill: a scan that ends with none being stored stores its own at once. On SQLite one
/// group is stored at a time (<paramref name="concurrency"/> 1), so the process's completions no longer queue for its
/// write lock one against the other (each held a thread-pool thread in the busy handler's sleeps), and the pages they
/// share are written to the WAL once per group. On PostgreSQL, where transactions write side by side, when groups take
/// long (<see cref="FarGroup"/>: the database is on another machine, and a group's four round trips and commit had
/// bounded the process's pace, 8 scans per group, whatever the number of scans running) a full group waiting while
/// every group in flight is still being stored is stored beside them, up to <paramref name="concurrency"/> at once.
/// Beside the database, groups go one at a time and fill fuller: stored side by side they had been smaller and cost
/// ~7% of the pace at 1,000 domains. Each group is stored by one of its scans, on that scan's thread:
/// a thread stores one group, then hands the next to the first scan waiting. A group whose transaction fails stores
/// nothing; its scans are then stored one by one by their callers, so a result the database refuses fails its own job
/// only.
public sealed class CompletionGroups(
    Func<IReadOnlyList<JobCompletion>, Task<IReadOnlyList<bool>>> store, int concurrency = 1, TimeSpan? farGroup = null)
{
    /// The most scans in one transaction. On SQLite a transaction's changed pages stay in the connection's page cache
    /// (2 MB, ~500 pages) until it commits, and past it are written to the WAL early, then again; and the group holds
    /// the write lock while it is stored, so the progress tick, claims and API writes wait that long.
    public const int MaxGroup = 8;

    /// The groups a process stores at once on <paramref name="provider"/>: SQLite has one writer at a time.
    public static int ConcurrencyFor(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? 4 : 1;

    /// How long groups take to store (a moving average) before a full group waiting is stored beside those in flight,
    /// unless the constructor is given another.
    public static readonly TimeSpan FarGroup = TimeSpan.FromMilliseconds(25);

    private readonly TimeSpan _farGroup = farGroup ?? FarGroup;

    private readonly Lock _lock = new();
    private readonly List<Waiter> _waiting = [];

    // A moving average of how long the last groups took to store, in stopwatch ticks; zero before the first.
    private long _groupTicks;

    // The groups being stored. Never lowered while scans wait (the group that ends hands the next one on), so a scan
    // that finds none being stored finds none waiting either. While groups are quick, more than a group may wait.
    private int _storing;

    private enum Outcome
    {
        Stored,
        LeaseLost,
        GroupFailed,
        StoreNext,
    }

    // A scan waiting for its group, or for its turn to store the next one (then handed that group).
    private sealed class Waiter(JobCompletion completion)
    {
        public JobCompletion Completion => completion;

        public TaskCompletionSource<Outcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<Waiter>? Group { get; set; }
    }

    /// Whether <paramref name="completion"/> was stored (false: its lease was lost and nothing of it written), or null
    /// when its group's transaction failed: nothing of it was written, and the caller stores it on its own. A group of
    /// one that fails throws what it failed with.
    public async Task<bool?> StoreAsync(JobCompletion completion)
    {
        var waiter = new Waiter(completion);
        List<Waiter>? group = null;
        lock (_lock)
        {
            _waiting.Add(waiter);
            // None being stored (nobody waited: the group is this scan alone), or a full group waits while every one in
            // flight is still being stored, and groups take long: the scans waiting longest go beside them, stored by
            // this scan if it is the first of them, else handed to that one.
            if (_storing == 0 || (_storing < concurrency && _waiting.Count >= MaxGroup && Stopwatch.GetElapsedTime(0, _groupTicks) >= _farGroup))
            {
                _storing++;
                group = HandOn(TakeGroup(), waiter);
            }
        }

        var outcome = group is null ? await waiter.Outcome.Task : await StoreGroupAsync(group);
        if (outcome == Outcome.StoreNext)
        {
            outcome = await StoreGroupAsync(waiter.Group!);
        }

        return outcome switch
        {
            Outcome.Stored => true,
            Outcome.LeaseLost => false,
            _ => null,
        };
    }

    /// The scans waiting longest, up to <see cref="MaxGroup"/>, taken off the waiting list. Under the lock.
    private List<Waiter> TakeGroup()
    {
        var count = Math.Min(_waiting.Count, MaxGroup);
        var group = _waiting.GetRange(0, count);
        _waiting.RemoveRange(0, count);
        return group;
    }

    /// <paramref name="group"/> when <paramref name="caller"/> is its first scan, which stores it; else null, the group
    /// handed to its first scan to store. Under the lock.
    private static List<Waiter>? HandOn(List<Waiter> group, Waiter? caller)
    {
        if (group[0] == caller)
        {
            return group;
        }

        group[0].Group = group;
        group[0].Outcome.SetResult(Outcome.StoreNext);
        return null;
    }

    /// Stores <paramref name="group"/>, whose first scan is the caller's (<see cref="HandOn"/>), and returns that one's
    /// outcome; then hands the next group to the first scan waiting.
    private async Task<Outcome> StoreGroupAsync(List<Waiter> group)
    {
        var started = Stopwatch.GetTimestamp();
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
            var took = Stopwatch.GetTimestamp() - started;
            lock (_lock)
            {
                _groupTicks = _groupTicks == 0 ? took : (_groupTicks * 3 + took) / 4;
                if (_waiting.Count == 0)
                {
                    _storing--;
                }
                else
                {
                    HandOn(TakeGroup(), null);
                }
            }
        }
    }
}
