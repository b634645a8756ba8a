namespace ScraperSky.Data.Jobs;

/// A held job's step and message as a status call shows them, for <see cref="JobQueue.ReportProgressAsync"/>.
public sealed record JobProgress(ClaimedJob Job, string Step, string Message);
