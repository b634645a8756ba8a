using ScraperSky.Server.Hosting;

namespace ScraperSky.Server.Tests.Hosting;

public sealed class MallocArenasTests
{
    [Fact]
    public void The_cap_takes_effect_through_glibc_on_linux_unless_the_environment_chose()
    {
        var expected = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null;

        Assert.Equal(expected, MallocArenas.Limit());
    }

    [Fact]
    public void A_cap_of_zero_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MallocArenas.Limit(0));
    }
}
