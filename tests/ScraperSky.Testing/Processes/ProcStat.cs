using System.Globalization;

namespace ScraperSky.Testing.Processes;

/// One line of /proc/&lt;pid&gt;/stat or /proc/&lt;pid&gt;/task/&lt;tid&gt;/stat (Linux only): the id, the name between the
/// first '(' and the last ')' (it may itself hold spaces and parentheses), and the fields after the name, numbered here
/// from 0: state 0, ppid 1, utime 11, stime 12, cutime 13, cstime 14, nice 16 (proc(5) counts the id as 1, so the state
/// is its 3).
public sealed class ProcStat
{
    /// Clock ticks per second of the time fields (USER_HZ, 100 on Linux).
    public const double TicksPerSecond = 100.0;

    public const int ParentId = 1;
    public const int UserTime = 11;
    public const int SystemTime = 12;
    public const int ChildrenUserTime = 13;
    public const int ChildrenSystemTime = 14;
    public const int Nice = 16;

    private readonly string[] _fields;

    private ProcStat(int id, string name, string[] fields)
    {
        Id = id;
        Name = name;
        _fields = fields;
    }

    public int Id { get; }

    public string Name { get; }

    /// User plus system time, in clock ticks.
    public long CpuTicks => Field(UserTime) + Field(SystemTime);

    /// The line of <paramref name="processId"/>.
    public static ProcStat Read(int processId) =>
        Parse(File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat"));

    public static ProcStat Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var open = line.IndexOf('(', StringComparison.Ordinal);
        var close = line.LastIndexOf(')');
        if (open <= 0 || close < open
            || !int.TryParse(line.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new FormatException($"Not a /proc stat line: '{Shorten(line)}'.");
        }

        var stat = new ProcStat(id, line[(open + 1)..close], line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (!stat.TryField(UserTime, out _) || !stat.TryField(SystemTime, out _))
        {
            throw new FormatException($"A /proc stat line without its utime and stime fields: '{Shorten(line)}'.");
        }

        return stat;
    }

    /// A numeric field after the name (see the class's numbering).
    public long Field(int index) =>
        TryField(index, out var value) ? value : throw new FormatException($"Field {index} of a /proc stat line is missing or not a number.");

    public static TimeSpan ToTime(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);

    private bool TryField(int index, out long value)
    {
        value = 0;
        return index < _fields.Length
            && long.TryParse(_fields[index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static string Shorten(string line) => line.Length <= 80 ? line : line[..80] + "...";
}
