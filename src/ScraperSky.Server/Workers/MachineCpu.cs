using System.Globalization;

namespace ScraperSky.Server.Workers;

/// The machine's CPU time, busy and in all, from the first line of /proc/stat (Linux); null elsewhere or when it
/// cannot be read, and <see cref="AdaptiveConcurrency"/> then goes by the process alone.
internal static class MachineCpu
{
    public sealed record Sample(long Busy, long Total);

    public static Sample? Read()
    {
        try
        {
            using var stat = new StreamReader("/proc/stat");
            return Parse(stat.ReadLine());
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// `cpu  user nice system idle iowait irq softirq steal ...`: idle and iowait are not busy.
    public static Sample? Parse(string? line)
    {
        if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
        {
            return null;
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long total = 0, idle = 0;
        for (var i = 1; i < fields.Length && i <= 8; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return null;
            }

            total += ticks;
            idle += i is 4 or 5 ? ticks : 0;
        }

        return new Sample(total - idle, total);
    }

    public static double? BusyShare(Sample? before, Sample? after) =>
        before is null || after is null || after.Total <= before.Total
            ? null
            : (after.Busy - before.Busy) / (double)(after.Total - before.Total);
}
