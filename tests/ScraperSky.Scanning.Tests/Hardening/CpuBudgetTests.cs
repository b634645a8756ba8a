using System.Diagnostics;

namespace ScraperSky.Scanning.Tests.Hardening;

/// The budget reads the thread's CPU clock only when the wall time since its last reading could have used it up; these
/// pin down that the bound changes nothing a check decides.
public sealed class CpuBudgetTests
{
    [Fact]
    public void Time_the_thread_spends_waiting_does_not_spend_its_budget()
    {
        var budget = new CpuBudget(TimeSpan.FromMilliseconds(100));

        Thread.Sleep(TimeSpan.FromMilliseconds(300));

        budget.Check();
        budget.Check(every: 1);
        Assert.False(budget.IsExhausted);
    }

    [Fact]
    public void Work_that_spins_past_its_budget_is_stopped_and_not_before_the_budget_is_used()
    {
        var limit = TimeSpan.FromMilliseconds(50);
        var started = ThreadCpuTime.Now();
        var budget = new CpuBudget(limit);
        var watch = Stopwatch.StartNew();
        var stopped = false;
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                budget.Check(every: 16);
            }
            catch (CpuBudgetExceededException)
            {
                stopped = true;
                break;
            }
        }

        Assert.True(stopped, "the budget never ran out");
        Assert.True(ThreadCpuTime.Now() - started >= limit, "the budget ran out before its CPU time was used");
    }

    [Fact]
    public void A_budget_that_ran_out_while_the_thread_also_waited_still_stops_the_work()
    {
        var limit = TimeSpan.FromMilliseconds(30);
        var budget = new CpuBudget(limit);
        Thread.Sleep(TimeSpan.FromMilliseconds(60));
        budget.Check();

        var started = ThreadCpuTime.Now();
        while (ThreadCpuTime.Now() - started < TimeSpan.FromMilliseconds(60))
        {
            // Spin without checks: the next check must see the CPU time, not trust the bound it took while sleeping.
        }

        Assert.Throws<CpuBudgetExceededException>(() => budget.Check());
    }
}
