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

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
