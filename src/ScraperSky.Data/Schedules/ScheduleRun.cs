namespace ScraperSky.Data.Schedules;

/// What one due run of a schedule did: the batch it submitted and how many domains that batch holds, or why it
/// submitted none (<see cref="Skipped"/>).
public sealed record ScheduleRun(Guid ScheduleId, Guid? BatchId, int DomainCount, string? Skipped);
