using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Tests.Jobs;

public sealed class CompletionGroupsTests
{
    private static JobCompletion Completion(string domain) => new(
        new ClaimedJob
        {
            Id = Guid.CreateVersion7(),
            TenantId = Guid.Empty,
            Domain = domain,
            Attempts = 1,
            MaxAttempts = 3,
            Owner = "worker-1",
        },
        new SiteMetadata { Title = domain },
        null);

    /// A store whose calls wait until the test lets each go, recording the domains of each group.
    private sealed class GatedStore
    {
        private readonly Lock _lock = new();
        private readonly List<TaskCompletionSource> _gates = [];

        public List<string[]> Groups { get; } = [];

        public Func<IReadOnlyList<JobCompletion>, bool>? Outcome { get; set; }

        public async Task<IReadOnlyList<bool>> StoreAsync(IReadOnlyList<JobCompletion> group)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                Groups.Add([.. group.Select(c => c.Job.Domain)]);
                _gates.Add(gate);
            }

            await gate.Task;
            return [.. group.Select(c => c.Job.Domain != "lost.test")];
        }

        public void Release(int group)
        {
            lock (_lock)
            {
                _gates[group].SetResult();
            }
        }

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return Groups.Count;
                }
            }
        }
    }

    [Fact]
    public async Task Scans_that_end_while_a_group_is_stored_go_together_in_the_next_one()
    {
        var store = new GatedStore();
        var groups = new CompletionGroups(store.StoreAsync);

        var first = groups.StoreAsync(Completion("a.test"));
        // Nothing was being stored: the first scan's group is stored at once, alone.
        Assert.Equal(1, store.Count);
        var waiting = new[] { "b.test", "lost.test", "c.test" }.Select(d => groups.StoreAsync(Completion(d))).ToList();
        Assert.Equal(1, store.Count);

        store.Release(0);
        Assert.True(await first);
        await WaitForGroupsAsync(store, 2);
        store.Release(1);

        Assert.Equal([true, false, true], await Task.WhenAll(waiting));
        Assert.Equal([["a.test"], ["b.test", "lost.test", "c.test"]], store.Groups);
    }

    [Fact]
    public async Task A_group_holds_at_most_its_limit_and_the_rest_follow_in_order()
    {
        var store = new GatedStore();
        var groups = new CompletionGroups(store.StoreAsync);
        var first = groups.StoreAsync(Completion("first.test"));
        var domains = Enumerable.Range(0, CompletionGroups.MaxGroup + 2).Select(i => $"{i:00}.test").ToList();
        var waiting = domains.Select(d => groups.StoreAsync(Completion(d))).ToList();

        store.Release(0);
        await WaitForGroupsAsync(store, 2);
        store.Release(1);
        await WaitForGroupsAsync(store, 3);
        store.Release(2);

        Assert.True(await first);
        Assert.All(await Task.WhenAll(waiting), Assert.True);
        Assert.Equal([["first.test"], [.. domains.Take(CompletionGroups.MaxGroup)], [.. domains.Skip(CompletionGroups.MaxGroup)]], store.Groups);
    }

    [Fact]
    public async Task When_a_groups_transaction_fails_each_scan_is_handed_back_to_be_stored_alone_and_a_lone_scan_gets_the_error()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var groups = new CompletionGroups(async group =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await gate.Task;
            }

            throw new InvalidOperationException($"refused {group.Count}");
        });

        var alone = groups.StoreAsync(Completion("alone.test"));
        var together = new[] { "b.test", "c.test" }.Select(d => groups.StoreAsync(Completion(d))).ToList();
        gate.SetResult();

        Assert.Equal("refused 1", (await Assert.ThrowsAsync<InvalidOperationException>(() => alone)).Message);
        Assert.Equal([null, null], await Task.WhenAll(together));
        // Nothing stays held: the next scan is stored at once.
        Assert.Equal("refused 1", (await Assert.ThrowsAsync<InvalidOperationException>(() => groups.StoreAsync(Completion("d.test")))).Message);
    }

    private static async Task WaitForGroupsAsync(GatedStore store, int count)
    {
        // The next group starts on the thread pool once the one before has ended.
        while (store.Count < count)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
