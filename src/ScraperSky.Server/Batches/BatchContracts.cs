using System.Text.Json.Serialization;

namespace ScraperSky.Server.Batches;

/// Members are properties, not constructor parameters, so that a type error names the field's type.
public sealed record BatchSubmission
{
    public IReadOnlyList<string?>? Domains { get; init; }
    public Guid? TenantId { get; init; }
    public int? MaxPages { get; init; }

    /// Added: false skips reading the sites' sitemaps (default true).
    public bool? IncludeSitemaps { get; init; }
}

public sealed record BatchAccepted(string BatchId, string StatusUrl, int JobCount);

public sealed record BatchStatusView(
    string BatchId,
    string Status,
    DateTime StartedAt,
    DateTime? CompletedAt,
    int TotalJobs,
    int CompletedJobs,
    int FailedJobs,
    IReadOnlyList<BatchJobEntry> Jobs);

/// A failed job's entry carries `error`; the others leave it out, as in v1.
public sealed record BatchJobEntry(
    string Domain,
    string JobId,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
