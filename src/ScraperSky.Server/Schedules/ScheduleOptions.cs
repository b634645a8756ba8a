namespace ScraperSky.Server.Schedules;

/// The `Schedules` configuration section.
public sealed class ScheduleOptions
{
    public const string Section = "Schedules";

    /// How often each worker process looks for due schedules; a run starts at most this late.
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);
}
