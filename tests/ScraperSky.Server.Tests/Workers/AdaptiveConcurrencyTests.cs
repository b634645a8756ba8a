using Microsoft.Extensions.Time.Testing;
using ScraperSky.Server.Workers;

namespace ScraperSky.Server.Tests.Workers;

public sealed class AdaptiveConcurrencyTests
{
    private readonly FakeTimeProvider _time = new();
    private TimeSpan _processCpu;
    private TimeSpan _compiling;
    private MachineCpu.Sample? _machine = new(0, 0);

    private AdaptiveConcurrency Create(int ceiling, int start = 32) =>
        new(start, ceiling, _time, () => _processCpu, () => _machine, cores: 2, () => _compiling);

    /// A period passes in which the process used <paramref name="process"/> (<paramref name="compiling"/> of it in the
    /// JIT) and the machine was that busy plus <paramref name="others"/> (shares of both cores).
    private void Pass(double process, double others, double compiling = 0)
    {
        _time.Advance(AdaptiveConcurrency.Period);
        _processCpu += AdaptiveConcurrency.Period * 2 * process;
        _compiling += AdaptiveConcurrency.Period * 2 * compiling;
        var ticks = (long)(AdaptiveConcurrency.Period.TotalSeconds * 2 * 100); // two cores at 100 ticks a second
        _machine = new MachineCpu.Sample(_machine!.Busy + (long)(ticks * (process + others)), _machine.Total + ticks);
    }

    [Fact]
    public void It_starts_at_32_or_the_configured_maximum_when_that_is_lower()
    {
        Assert.Equal(32, Create(128).Limit);
        Assert.Equal(3, Create(3).Limit);
    }

    [Fact]
    public void A_configured_start_is_where_the_limit_starts_and_the_floor_it_shrinks_back_to()
    {
        var concurrency = Create(128, start: 48);
        Assert.Equal(48, concurrency.Limit);

        concurrency.NoteSaturated();
        Pass(process: 0.5, others: 0.1);
        Assert.Equal(60, concurrency.Adjust());

        for (var i = 0; i < 5; i++)
        {
            concurrency.NoteSaturated();
            Pass(process: 0.5, others: 0.5);
            concurrency.Adjust();
        }

        Assert.Equal(48, concurrency.Limit);
    }

    [Fact]
    public void A_start_equal_to_the_maximum_fixes_the_limit_whatever_the_cores_do()
    {
        var concurrency = Create(64, start: 64);
        concurrency.NoteSaturated();
        Pass(process: 0.1, others: 0);
        Assert.Equal(64, concurrency.Adjust());

        concurrency.NoteSaturated();
        Pass(process: 0.5, others: 0.5);
        Assert.Equal(64, concurrency.Adjust());
    }

    [Fact]
    public void Waiting_scans_with_idle_cores_raise_the_limit_up_to_the_configured_maximum()
    {
        var concurrency = Create(50);
        for (var i = 0; i < 10; i++)
        {
            concurrency.NoteSaturated();
            Pass(process: 0.2, others: 0.1);
            concurrency.Adjust();
        }

        Assert.Equal(50, concurrency.Limit);
    }

    [Fact]
    public void Mostly_idle_cores_double_the_limit_and_busier_ones_add_a_quarter()
    {
        var concurrency = Create(128);
        concurrency.NoteSaturated();
        Pass(process: 0.2, others: 0.1);
        Assert.Equal(64, concurrency.Adjust());

        // The process alone past the doubling share: a quarter more, however idle the rest of the machine.
        concurrency.NoteSaturated();
        Pass(process: 0.4, others: 0);
        Assert.Equal(80, concurrency.Adjust());

        concurrency.NoteSaturated();
        Pass(process: 0.1, others: 0.1);
        Assert.Equal(128, concurrency.Adjust());
    }

    [Fact]
    public void Free_slots_do_not_raise_the_limit()
    {
        var concurrency = Create(128);
        Pass(process: 0.2, others: 0.1);

        Assert.Equal(32, concurrency.Adjust());
    }

    [Fact]
    public void A_machine_busy_with_other_processes_does_not_raise_the_limit_and_lowers_it_back_toward_the_start()
    {
        var concurrency = Create(128);
        concurrency.NoteSaturated();
        Pass(process: 0.2, others: 0.3);
        Assert.Equal(40, concurrency.Adjust());

        concurrency.NoteSaturated();
        Pass(process: 0.2, others: 0.75);
        Assert.Equal(35, concurrency.Adjust());

        for (var i = 0; i < 5; i++)
        {
            concurrency.NoteSaturated();
            Pass(process: 0.3, others: 0.7);
            concurrency.Adjust();
        }

        Assert.Equal(32, concurrency.Limit);
    }

    [Fact]
    public void Time_the_JIT_spends_compiling_counts_as_idle_in_the_process_and_the_machine()
    {
        var concurrency = Create(128);
        // A fresh process: 0.6 of both cores, 0.25 of them compiling, the machine 0.8 busy: a quarter more.
        concurrency.NoteSaturated();
        Pass(process: 0.6, others: 0.2, compiling: 0.25);
        Assert.Equal(40, concurrency.Adjust());

        // The same without the JIT: too busy to grow, and past the shrinking share gives an eighth back.
        concurrency.NoteSaturated();
        Pass(process: 0.6, others: 0.2);
        Assert.Equal(40, concurrency.Adjust());
        concurrency.NoteSaturated();
        Pass(process: 0.6, others: 0.35);
        Assert.Equal(35, concurrency.Adjust());

        // The JIT's wall time counts as no more than the CPU the process used: the machine stays half busy, past the
        // doubling share (0.5 of its time taken away would have left it at 0.3, and the limit doubled).
        concurrency.NoteSaturated();
        Pass(process: 0.3, others: 0.5, compiling: 0.5);
        Assert.Equal(43, concurrency.Adjust());

        // Compiling or not, a machine over the shrinking share does not grow the pool: it gives an eighth back.
        concurrency.NoteSaturated();
        Pass(process: 0.6, others: 0.35, compiling: 0.4);
        Assert.Equal(38, concurrency.Adjust());
    }

    [Fact]
    public void The_limit_changes_at_most_once_a_period()
    {
        var concurrency = Create(128);
        concurrency.NoteSaturated();
        _time.Advance(AdaptiveConcurrency.Period / 2);

        Assert.Equal(32, concurrency.Adjust());
    }

    [Fact]
    public void The_machine_share_comes_from_the_first_line_of_proc_stat()
    {
        var before = MachineCpu.Parse("cpu  100 0 50 800 50 0 0 0 0 0");
        var after = MachineCpu.Parse("cpu  200 0 100 1600 100 0 0 0 0 0");

        Assert.Equal(new MachineCpu.Sample(150, 1000), before);
        Assert.Equal(0.15, MachineCpu.BusyShare(before, after)!.Value, 3);
        Assert.Null(MachineCpu.Parse("intr 1 2 3"));
    }
}
