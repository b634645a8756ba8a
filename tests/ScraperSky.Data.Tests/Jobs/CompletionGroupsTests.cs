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
    public async Task With_room_for_two_a_full_group_is_stored_beside_the_one_in_flight_and_a_partial_one_waits()
    {
        var store = new GatedStore();
        // Groups count as slow from the start.
        var groups = new CompletionGroups(store.StoreAsync, concurrency: 2, farGroup: TimeSpan.Zero);
        var first = groups.StoreAsync(Completion("first.test"));
        var full = Enumerable.Range(0, CompletionGroups.MaxGroup).Select(i => $"{i:00}.test").ToList();
        var beside = full.Select(d => groups.StoreAsync(Completion(d))).ToList();
        // The full group is stored beside the first, by its first scan; the next ones wait, two groups being stored,
        // until one of them ends.
        await WaitForGroupsAsync(store, 2);
        var later = new[] { "x.test", "lost.test" }.Select(d => groups.StoreAsync(Completion(d))).ToList();
        Assert.Equal(2, store.Count);

        store.Release(1);
        Assert.All(await Task.WhenAll(beside), Assert.True);
        await WaitForGroupsAsync(store, 3);
        store.Release(2);
        Assert.Equal([true, false], await Task.WhenAll(later));
        Assert.False(first.IsCompleted);
        store.Release(0);

        Assert.True(await first);
        Assert.Equal([["first.test"], [.. full], ["x.test", "lost.test"]], store.Groups);
        // Nothing in flight: the next scan is stored at once, alone.
        var next = groups.StoreAsync(Completion("next.test"));
        Assert.Equal(4, store.Count);
        store.Release(3);
        Assert.True(await next);
    }

    [Fact]
    public async Task Only_once_groups_take_long_is_a_full_group_stored_beside_the_one_in_flight()
    {
        var store = new GatedStore();
        var groups = new CompletionGroups(store.StoreAsync, concurrency: 2, farGroup: TimeSpan.FromMilliseconds(200));
        var quick = groups.StoreAsync(Completion("quick.test"));
        store.Release(0);
        Assert.True(await quick);

        // The groups so far were quick: a full group waits for the one in flight, which takes long.
        var slow = groups.StoreAsync(Completion("slow.test"));
        var waiting = Enumerable.Range(0, CompletionGroups.MaxGroup).Select(i => groups.StoreAsync(Completion($"{i:00}.test"))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(2, store.Count);
        store.Release(1);
        Assert.True(await slow);
        await WaitForGroupsAsync(store, 3);
        store.Release(2);
        Assert.All(await Task.WhenAll(waiting), Assert.True);

        // The average now passes 200 ms (a quarter of the slow group's two seconds, three quarters of that after the quick
        // group behind it): the next full group goes beside the one in flight.
        var another = groups.StoreAsync(Completion("another.test"));
        var beside = Enumerable.Range(0, CompletionGroups.MaxGroup).Select(i => groups.StoreAsync(Completion($"b{i:00}.test"))).ToList();
        await WaitForGroupsAsync(store, 5);
        store.Release(4);
        Assert.All(await Task.WhenAll(beside), Assert.True);
        store.Release(3);
        Assert.True(await another);
    }

    [Fact]
    public async Task A_group_started_beside_takes_the_scans_waiting_longest_and_the_scan_that_started_it_waits_its_turn()
    {
        var store = new GatedStore();
        var groups = new CompletionGroups(store.StoreAsync, concurrency: 2, farGroup: TimeSpan.FromMilliseconds(200));
        var quick = groups.StoreAsync(Completion("quick.test"));
        store.Release(0);
        Assert.True(await quick);
        var slow = groups.StoreAsync(Completion("slow.test"));
        // Groups were quick so far: all of these wait, more than a group's worth.
        var early = Enumerable.Range(0, 20).Select(i => $"{i:00}.test").ToList();
        var waiting = early.Select(d => groups.StoreAsync(Completion(d))).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        store.Release(1);
        Assert.True(await slow);
        await WaitForGroupsAsync(store, 3);

        // Groups now take long and twelve scans wait: the next one starts a group beside the one in flight, of the
        // eight waiting longest, and waits behind the four left.
        var late = groups.StoreAsync(Completion("late.test"));
        await WaitForGroupsAsync(store, 4);
        Assert.False(late.IsCompleted);
        store.Release(3);
        store.Release(2);
        await WaitForGroupsAsync(store, 5);
        store.Release(4);

        Assert.All(await Task.WhenAll(waiting), Assert.True);
        Assert.True(await late);
        Assert.Equal(
            [["quick.test"], ["slow.test"], [.. early.Take(8)], [.. early.Skip(8).Take(8)], [.. early.Skip(16), "late.test"]],
            store.Groups);
    }

    [Fact]
    public async Task With_one_at_a_time_a_full_group_waits_for_the_one_in_flight()
    {
        var store = new GatedStore();
        var groups = new CompletionGroups(store.StoreAsync, farGroup: TimeSpan.Zero);
        var first = groups.StoreAsync(Completion("first.test"));
        var waiting = Enumerable.Range(0, CompletionGroups.MaxGroup).Select(i => groups.StoreAsync(Completion($"{i:00}.test"))).ToList();
        Assert.Equal(1, store.Count);

        store.Release(0);
        await WaitForGroupsAsync(store, 2);
        store.Release(1);
        Assert.True(await first);
        Assert.All(await Task.WhenAll(waiting), Assert.True);
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
