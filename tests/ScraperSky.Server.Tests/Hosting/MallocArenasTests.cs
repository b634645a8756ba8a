using System.Runtime.InteropServices;
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

    [Fact]
    public void Freed_native_memory_inside_an_arena_is_given_back_by_a_trim_on_linux()
    {
        // 64 KB blocks come from the arena, not mmap; the last one stays allocated so the freed ones are a hole below
        // the arena's top, which free alone never gives back.
        var ones = new byte[64 * 1024];
        Array.Fill(ones, (byte)1);
        var blocks = new IntPtr[200];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(ones.Length);
            Marshal.Copy(ones, 0, blocks[i], ones.Length);
        }

        for (var i = 0; i < blocks.Length - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        try
        {
            Assert.Equal(OperatingSystem.IsLinux(), MallocArenas.Trim());
        }
        finally
        {
            Marshal.FreeHGlobal(blocks[^1]);
        }
    }
}
