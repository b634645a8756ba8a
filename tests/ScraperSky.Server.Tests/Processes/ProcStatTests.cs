using System.Diagnostics;
using ScraperSky.Testing.Processes;

namespace ScraperSky.Server.Tests.Processes;

/// The load run's server and cluster CPU, and the lane's nice value in its tests, come from /proc stat lines.
public sealed class ProcStatTests
{
    // A postgres backend's line: ppid 4100, utime 120, stime 30, cutime 7, cstime 5, nice -5.
    private const string Backend =
        "4242 (postgres: load load 127.0.0.1(51234) idle) S 4100 4100 4100 0 -1 4194560 900 0 0 0 120 30 7 5 20 -5 1 0 1184236 225398144 4123";

    [Fact]
    public void Fields_after_the_name_are_numbered_from_the_state_whatever_the_name_holds()
    {
        var stat = ProcStat.Parse(Backend);

        Assert.Equal(4242, stat.Id);
        Assert.Equal("postgres: load load 127.0.0.1(51234) idle", stat.Name);
        Assert.Equal(4100, stat.Field(ProcStat.ParentId));
        Assert.Equal(150, stat.CpuTicks);
        Assert.Equal(7, stat.Field(ProcStat.ChildrenUserTime));
        Assert.Equal(5, stat.Field(ProcStat.ChildrenSystemTime));
        Assert.Equal(-5, stat.Field(ProcStat.Nice));
        Assert.Equal(TimeSpan.FromSeconds(1.5), ProcStat.ToTime(stat.CpuTicks));
    }

    [Fact]
    public void A_field_the_line_does_not_have_is_a_format_error()
    {
        var stat = ProcStat.Parse("12 (short) S 1 2 3 4 5 6 7 8 9 10 11 12");

        Assert.Equal(23, stat.CpuTicks);
        Assert.Throws<FormatException>(() => stat.Field(ProcStat.Nice));
    }

    [Fact]
    public void This_process_reads_as_itself_with_its_parent_and_the_CPU_it_has_used()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc is Linux's");
        using var self = Process.GetCurrentProcess();

        var stat = ProcStat.Read(Environment.ProcessId);

        Assert.Equal(Environment.ProcessId, stat.Id);
        Assert.True(stat.Field(ProcStat.ParentId) > 0);
        Assert.InRange(ProcStat.ToTime(stat.CpuTicks), self.TotalProcessorTime - TimeSpan.FromSeconds(1), self.TotalProcessorTime + TimeSpan.FromSeconds(1));
    }
}
