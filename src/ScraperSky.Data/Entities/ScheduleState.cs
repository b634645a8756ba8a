namespace ScraperSky.Data.Entities;

/// Only active schedules run. A cron expression with no further occurrence disables its schedule; a deleted one is
/// kept (its last batch stays findable) but no longer listed.
public enum ScheduleState
{
    Active,
    Disabled,
    Deleted,
}
