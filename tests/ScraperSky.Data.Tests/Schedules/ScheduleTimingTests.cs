using ScraperSky.Data.Schedules;

namespace ScraperSky.Data.Tests.Schedules;

public sealed class ScheduleTimingTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static ScheduleTiming Create(string? every, string? cron = null, string? timeZone = null)
    {
        var timing = ScheduleTiming.TryCreate(every, cron, timeZone, out var problem);
        Assert.True(timing is not null, problem);
        return timing;
    }

    [Theory]
    [InlineData("P7D", 7 * 24 * 60)]
    [InlineData("PT1H", 60)]
    [InlineData("PT30M", 30)]
    [InlineData("PT1M", 1)]
    [InlineData("PT90S", 1.5)]
    [InlineData("P1DT12H", 36 * 60)]
    [InlineData("P2W", 14 * 24 * 60)]
    public void An_every_duration_sets_the_period_between_runs(string every, double minutes)
    {
        var timing = Create(every);

        Assert.Equal(Now.AddMinutes(minutes), timing.First(Now));
        Assert.Equal(Now.AddMinutes(2 * minutes), timing.Next(Now.AddMinutes(minutes), Now.AddMinutes(minutes)));
    }

    [Theory]
    [InlineData("", "'every'")]
    [InlineData("P", "'every'")]
    [InlineData("PT", "'every'")]
    [InlineData("7D", "'every'")]
    [InlineData("P1Y", "'every'")]
    [InlineData("P1M", "'every'")]
    [InlineData("-P1D", "'every'")]
    [InlineData("P1.5D", "'every'")]
    [InlineData("P\u0661D", "'every'")]
    [InlineData("PT59S", "at least one minute")]
    [InlineData("PT0M", "at least one minute")]
    [InlineData("P400D", "at most 366 days")]
    [InlineData("P999999999W", "at most 366 days")]
    public void A_bad_every_is_refused_naming_the_field(string every, string expected)
    {
        Assert.Null(ScheduleTiming.TryCreate(every, null, null, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, null, "Exactly one of fields 'every'")]
    [InlineData("P1D", "0 6 * * *", null, "Exactly one of fields 'every'")]
    [InlineData("P1D", null, "Europe/Berlin", "'time_zone'")]
    [InlineData(null, "* * * *", null, "'cron'")]
    [InlineData(null, "0 0 * * * *", null, "'cron'")]
    [InlineData(null, "61 * * * *", null, "'cron'")]
    [InlineData(null, "every monday", null, "'cron'")]
    [InlineData(null, "0 6 * * *", "Mars/Olympus_Mons", "'time_zone'")]
    public void A_bad_timing_is_refused_naming_the_field(string? every, string? cron, string? timeZone, string expected)
    {
        Assert.Null(ScheduleTiming.TryCreate(every, cron, timeZone, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cron_schedule_runs_at_its_times_in_its_time_zone_across_a_daylight_saving_change()
    {
        var berlin = Create(null, "0 6 * * *", "Europe/Berlin");
        var utc = Create(null, "0 6 * * *");

        // 06:00 in Berlin is 05:00 UTC in winter and 04:00 UTC after the clocks go forward on 29 March 2026.
        Assert.Equal(new DateTime(2026, 3, 2, 5, 0, 0, DateTimeKind.Utc), berlin.First(Now));
        Assert.Equal(new DateTime(2026, 3, 2, 6, 0, 0, DateTimeKind.Utc), utc.First(Now));
        var beforeChange = new DateTime(2026, 3, 28, 5, 0, 30, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 3, 29, 4, 0, 0, DateTimeKind.Utc), berlin.Next(beforeChange.AddSeconds(-30), beforeChange));
    }

    [Fact]
    public void A_cron_expression_with_no_date_that_exists_has_no_first_run()
    {
        Assert.Null(Create(null, "0 0 30 2 *").First(Now));
    }

    [Fact]
    public void Runs_missed_for_several_periods_become_one_run_and_the_next_stays_on_the_grid()
    {
        var hourly = Create("PT1H");
        var due = Now.AddHours(1);

        // Down from 13:00 to 17:30: one run at 17:30, the next at 18:00 (not 18:30, not five runs).
        Assert.Equal(Now.AddHours(6), hourly.Next(due, Now.AddHours(5.5)));
        // A runner a few seconds late keeps the grid.
        Assert.Equal(Now.AddHours(2), hourly.Next(due, due.AddSeconds(3)));

        var cron = Create(null, "*/15 * * * *");
        Assert.Equal(Now.AddHours(5).AddMinutes(45), cron.Next(Now.AddMinutes(15), Now.AddHours(5).AddMinutes(31)));
    }
}
