using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Webhooks;

/// The body of every delivery: `id` is stable across attempts, so a receiver dedupes a redelivery by it.
public sealed record WebhookEnvelope<T>(string Id, string Type, DateTime CreatedAt, T Data);

/// `scan.completed`: a scan ended, completed or failed (`status` says which; `error` says why it failed).
public sealed record ScanEndedData(
    string ScanId, string JobId, string? BatchId, string Domain, string Status, string? Error, DateTime ScannedAt);

/// `domain.changed`: the typed changes one scan revealed.
public sealed record DomainChangedData(string Domain, string ScanId, IReadOnlyList<ChangeData> Changes);

public sealed record ChangeData(string Type, string Field, string? From, string? To, string? PreviousScanId, DateTime DetectedAt)
{
    public static ChangeData Of(DomainChange change) => new(
        change.Type, change.Field, change.From, change.To, change.PreviousScanId?.ToString("N"), change.DetectedAt);
}

/// `batch.completed`: every job of a batch has ended.
public sealed record BatchEndedData(
    string BatchId, string Status, int TotalJobs, int CompletedJobs, int FailedJobs, int CancelledJobs, DateTime? CompletedAt);
