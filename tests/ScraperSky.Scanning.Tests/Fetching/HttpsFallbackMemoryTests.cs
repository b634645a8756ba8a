using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Tests.Fetching;

public sealed class HttpsFallbackMemoryTests
{
    [Fact]
    public void A_host_is_remembered_case_insensitively_until_its_entry_expires()
    {
        var time = new ManualTime();
        var memory = new HttpsFallbackMemory(time);

        Assert.False(memory.LacksHttps("shop.example"));
        memory.Remember("shop.example");
        Assert.True(memory.LacksHttps("SHOP.example"));
        Assert.False(memory.LacksHttps("other.example"));

        time.Advance(HttpsFallbackMemory.Lifetime - TimeSpan.FromSeconds(1));
        Assert.True(memory.LacksHttps("shop.example"));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(memory.LacksHttps("shop.example"));
    }

    [Fact]
    public void A_full_memory_makes_room_instead_of_growing()
    {
        var time = new ManualTime();
        var memory = new HttpsFallbackMemory(time);
        for (var i = 0; i < 10_000; i++)
        {
            memory.Remember($"host{i}.example");
        }

        memory.Remember("newest.example");

        Assert.True(memory.LacksHttps("newest.example"));
        Assert.False(memory.LacksHttps("host1.example"));
    }

    [Fact]
    public async Task The_first_request_to_an_unknown_host_probes_and_the_next_wait_for_its_outcome()
    {
        var memory = new HttpsFallbackMemory(new ManualTime());

        var (outcome, probe) = await memory.DecideAsync("shop.example", TestContext.Current.CancellationToken);
        Assert.Equal(HttpsOutcome.Undecided, outcome);
        Assert.NotNull(probe);
        var waiting = memory.DecideAsync("SHOP.example", TestContext.Current.CancellationToken).AsTask();
        var elsewhere = await memory.DecideAsync("other.example", TestContext.Current.CancellationToken);
        Assert.NotNull(elsewhere.Probe);
        Assert.False(waiting.IsCompleted);

        probe.Settle(HttpsOutcome.Lacking);
        probe.Settle(HttpsOutcome.Undecided);

        Assert.Equal((HttpsOutcome.Lacking, null), await waiting);
        Assert.True(memory.LacksHttps("shop.example"));
        Assert.Equal((HttpsOutcome.Lacking, null), await memory.DecideAsync("shop.example", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_undecided_probe_hands_the_attempt_to_one_waiting_request_and_a_working_one_is_remembered()
    {
        var memory = new HttpsFallbackMemory(new ManualTime());
        var (_, first) = await memory.DecideAsync("shop.example", TestContext.Current.CancellationToken);
        var waiting = Enumerable.Range(0, 3).Select(_ => memory.DecideAsync("shop.example", TestContext.Current.CancellationToken).AsTask()).ToList();

        first!.Settle(HttpsOutcome.Undecided);
        var next = await Task.WhenAny(waiting);
        var (outcome, second) = await next;

        Assert.Equal(HttpsOutcome.Undecided, outcome);
        Assert.NotNull(second);
        Assert.False(memory.LacksHttps("shop.example"));
        Assert.All(waiting.Where(w => w != next), w => Assert.False(w.IsCompleted));

        second.Settle(HttpsOutcome.Works);

        Assert.All(await Task.WhenAll(waiting.Where(w => w != next)), decided => Assert.Equal((HttpsOutcome.Works, null), decided));
        Assert.Equal((HttpsOutcome.Works, null), await memory.DecideAsync("shop.example", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_request_waiting_for_a_probe_stops_waiting_when_cancelled()
    {
        var memory = new HttpsFallbackMemory(new ManualTime());
        var (_, probe) = await memory.DecideAsync("shop.example", TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();

        var waiting = memory.DecideAsync("shop.example", cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        probe!.Settle(HttpsOutcome.Works);
        Assert.Equal((HttpsOutcome.Works, null), await memory.DecideAsync("shop.example", TestContext.Current.CancellationToken));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
