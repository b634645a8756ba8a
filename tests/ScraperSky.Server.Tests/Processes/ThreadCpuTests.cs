using ScraperSky.Testing.Processes;

namespace ScraperSky.Server.Tests.Processes;

/// The load run's per-thread CPU line rests on reading /proc/&lt;pid&gt;/task/*/stat right.
public sealed class ThreadCpuTests
{
    // A thread-pool worker's line as Linux writes it: utime 3542 and stime 211 ticks are the 14th and 15th fields.
    private const string Worker =
        "23711 (.NET TP Worker) S 1 23655 23655 0 -1 4194368 12133 0 0 0 3542 211 0 0 20 0 41 0 1184236 3611398144 81234 18446744073709551615 1 1 0 0 0 0 0 4096 17630 0 0 0 -1 1 0 0 0 0 0";

    [Fact]
    public void A_stat_line_gives_the_thread_id_its_name_and_user_plus_system_ticks()
    {
        Assert.Equal(new ThreadTicks(23711, ".NET TP Worker", 3753), ThreadCpu.ParseStat(Worker));
    }

    [Fact]
    public void A_name_with_spaces_and_parentheses_does_not_shift_the_fields_after_it()
    {
        var line = Worker.Replace("(.NET TP Worker)", "(a) 1 2 (b c))", StringComparison.Ordinal);

        Assert.Equal(new ThreadTicks(23711, "a) 1 2 (b c)", 3753), ThreadCpu.ParseStat(line));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no parentheses at all")]
    [InlineData("x (name) S 1 2 3 4 5 6 7 8 9 10 11 12")]
    [InlineData("12 (name) S 1 2")]
    [InlineData("12 (name) S 1 2 3 4 5 6 7 8 9 10 eleven 12")]
    public void A_line_that_is_not_a_stat_line_is_a_format_error_naming_it(string line)
    {
        var error = Assert.Throws<FormatException>(() => ThreadCpu.ParseStat(line));
        Assert.Contains($"'{line}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".NET TP Worker", ThreadCpu.ThreadPool)]
    [InlineData("Extraction 2", ThreadCpu.ExtractionLane)]
    [InlineData(".NET BGC", ThreadCpu.BackgroundGc)]
    [InlineData(".NET Tiered Com", ThreadCpu.TieredJit)]
    [InlineData(".NET Sockets", ThreadCpu.Other)]
    public void Threads_are_grouped_by_the_name_the_runtime_gives_them(string name, string group)
    {
        Assert.Equal(group, ThreadCpu.GroupOf(name));
    }

    [Fact]
    public void A_span_counts_what_each_group_used_new_threads_from_zero_and_ended_threads_from_the_process_total()
    {
        var before = ThreadCpu.From(
            [new ThreadTicks(1, ".NET TP Worker", 100), new ThreadTicks(2, ".NET TP Worker", 50), new ThreadTicks(3, "Extraction 1", 400),
             new ThreadTicks(4, ".NET Tiered Com", 70)],
            processTicks: 700);
        // Thread 4 ended (it used 30 ticks more first); thread 5 started; the process's total holds both.
        var after = ThreadCpu.From(
            [new ThreadTicks(1, ".NET TP Worker", 300), new ThreadTicks(2, ".NET TP Worker", 150), new ThreadTicks(3, "Extraction 1", 900),
             new ThreadTicks(5, ".NET TP Worker", 20)],
            processTicks: 700 + 200 + 100 + 500 + 20 + 30);

        Assert.Equal(
            [
                new ThreadGroupCpu(ThreadCpu.ExtractionLane, TimeSpan.FromSeconds(5), 1),
                new ThreadGroupCpu(ThreadCpu.ThreadPool, TimeSpan.FromSeconds(3.2), 3),
                new ThreadGroupCpu(ThreadCpu.Exited, TimeSpan.FromSeconds(0.3), 0),
            ],
            after.Since(before));
    }

    [Fact]
    public void Spans_and_processes_add_up_per_group()
    {
        IReadOnlyList<ThreadGroupCpu> first = [new(ThreadCpu.ThreadPool, TimeSpan.FromSeconds(2), 4), new(ThreadCpu.Other, TimeSpan.FromSeconds(1), 1)];
        IReadOnlyList<ThreadGroupCpu> second = [new(ThreadCpu.ThreadPool, TimeSpan.FromSeconds(3), 6), new(ThreadCpu.BackgroundGc, TimeSpan.FromSeconds(2), 1)];

        Assert.Equal(
            [
                new ThreadGroupCpu(ThreadCpu.ThreadPool, TimeSpan.FromSeconds(5), 6),
                new ThreadGroupCpu(ThreadCpu.BackgroundGc, TimeSpan.FromSeconds(2), 1),
                new ThreadGroupCpu(ThreadCpu.Other, TimeSpan.FromSeconds(1), 1),
            ],
            ThreadGroupCpu.Sum([first, second]));
    }

    [Fact]
    public void This_process_can_be_read_on_linux_and_nothing_is_read_elsewhere()
    {
        var now = ThreadCpu.Read(Environment.ProcessId);

        Assert.Equal(OperatingSystem.IsLinux(), now is not null);
    }
}
