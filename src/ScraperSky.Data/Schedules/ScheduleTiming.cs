using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Schedules;

/// When a schedule runs: every fixed period (an ISO 8601 duration) or at the times of a five-field cron expression
/// in a time zone. Runs fall on a grid (the first due time plus whole periods, or the cron's times), so a runner
/// that is late, or a server that was down for several periods, runs once and lands back on the grid.
public sealed partial class ScheduleTiming
{
    public static readonly TimeSpan ShortestPeriod = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(366);

    private readonly TimeSpan? _every;
    private readonly CronExpression? _cron;
    private readonly TimeZoneInfo _zone;

    private ScheduleTiming(TimeSpan? every, CronExpression? cron, TimeZoneInfo zone)
    {
        _every = every;
        _cron = cron;
        _zone = zone;
    }

    /// The timing of exactly one of <paramref name="every"/> and <paramref name="cron"/>, or a problem that names
    /// the field at fault (`every`, `cron` or `time_zone`).
    public static ScheduleTiming? TryCreate(string? every, string? cron, string? timeZone, out string? problem)
    {
        problem = null;
        if ((every is null) == (cron is null))
        {
            problem = "Exactly one of fields 'every' (an ISO 8601 duration such as P7D) and 'cron' (five fields) is required.";
            return null;
        }

        if (every is not null)
        {
            if (timeZone is not null)
            {
                problem = "Field 'time_zone' applies to 'cron' only: 'every' counts whole periods.";
                return null;
            }

            return TryParseDuration(every, out var period, out problem) ? new ScheduleTiming(period, null, TimeZoneInfo.Utc) : null;
        }

        if (!TryFindZone(timeZone, out var zone))
        {
            problem = $"Field 'time_zone' is not a known IANA time zone such as Europe/Berlin: '{timeZone}'.";
            return null;
        }

        var fields = cron!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5 || !CronExpression.TryParse(cron, CronFormat.Standard, out var expression))
        {
            problem = $"Field 'cron' is not a five-field cron expression (minute hour day-of-month month day-of-week): '{cron}'.";
            return null;
        }

        return new ScheduleTiming(null, expression, zone);
    }

    /// The timing a stored schedule was created with (validated then, so it parses now).
    public static ScheduleTiming Of(Schedule schedule) =>
        TryCreate(schedule.Every, schedule.Cron, schedule.TimeZone, out var problem)
        ?? throw new InvalidOperationException($"Schedule {schedule.PublicId} has an invalid timing: {problem}");

    /// The first run of a schedule created at <paramref name="now"/>: one period later, or the cron's next time.
    public DateTime? First(DateTime now) => _every is { } every ? now + every : CronAfter(now);

    /// The next run after the one due at <paramref name="due"/>, run at <paramref name="now"/>: the first grid time
    /// after now, however many were missed. Null when a cron expression has no further time.
    public DateTime? Next(DateTime due, DateTime now)
    {
        if (_every is not { } every)
        {
            return CronAfter(now);
        }

        var missed = now > due ? (now - due).Ticks / every.Ticks : 0;
        return due + (every * (missed + 1));
    }

    private DateTime? CronAfter(DateTime now) => _cron!.GetNextOccurrence(DateTime.SpecifyKind(now, DateTimeKind.Utc), _zone);

    private static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (id is null)
        {
            return true;
        }

        // A time zone id is a short name; this keeps odd input away from the system's lookup.
        return id.Length <= 100 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }

    /// A strict ISO 8601 duration of weeks, days, hours, minutes and seconds (`P7D`, `PT1H`, `PT30M`, `P1DT12H`).
    /// Years and months are refused: their length depends on the calendar, which is what `cron` is for.
    internal static bool TryParseDuration(string text, out TimeSpan period, out string? problem)
    {
        period = TimeSpan.Zero;
        problem = null;
        var match = Duration().Match(text);
        if (!match.Success || (match.Groups["t"].Success && !match.Groups["h"].Success && !match.Groups["min"].Success
                && !match.Groups["s"].Success) || text is "P")
        {
            problem = $"Field 'every' is not an ISO 8601 duration of weeks, days, hours, minutes or seconds (P7D, PT1H, PT30M): '{text}'.";
            return false;
        }

        double seconds = 0;
        foreach (var (group, unit) in new[] { ("w", 604_800d), ("d", 86_400d), ("h", 3_600d), ("min", 60d), ("s", 1d) })
        {
            if (match.Groups[group].Success)
            {
                seconds += double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) * unit;
            }
        }

        if (seconds < ShortestPeriod.TotalSeconds)
        {
            problem = $"Field 'every' must be at least one minute (PT1M): '{text}'.";
            return false;
        }

        if (seconds > LongestPeriod.TotalSeconds)
        {
            problem = $"Field 'every' must be at most {LongestPeriod.TotalDays.ToString(CultureInfo.InvariantCulture)} days; use 'cron' for rarer runs: '{text}'.";
            return false;
        }

        period = TimeSpan.FromSeconds(seconds);
        return true;
    }

    [GeneratedRegex(@"^P(?:(?<w>[0-9]{1,9})W|(?:(?<d>[0-9]{1,9})D)?(?<t>T(?:(?<h>[0-9]{1,9})H)?(?:(?<min>[0-9]{1,9})M)?(?:(?<s>[0-9]{1,9})S)?)?)$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 100)]
    private static partial Regex Duration();
}
