using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

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

/// An uploaded file accepted as a batch: as a submitted list, plus the column the domains were read from and the
/// number of data rows.
public sealed record UploadAccepted(string BatchId, string StatusUrl, int JobCount, string Column, int Rows);

/// The form of `POST /api/v1/batch/upload`.
public sealed record BatchUpload
{
    [FromForm(Name = "file")] public IFormFile? File { get; init; }

    /// The domain column: a header name, a column letter (`B`) or number (`2`).
    [FromForm(Name = "column")] public string? Column { get; init; }
    [FromForm(Name = "max_pages")] public int? MaxPages { get; init; }
    [FromForm(Name = "include_sitemaps")] public bool? IncludeSitemaps { get; init; }
    [FromForm(Name = "tenant_id")] public Guid? TenantId { get; init; }
}

/// The v1 batch status; the counters after `jobs` and the paging cursor are added fields.
public sealed record BatchStatusView(
    string BatchId,
    string Status,
    DateTime StartedAt,
    DateTime? CompletedAt,
    int TotalJobs,
    int CompletedJobs,
    int FailedJobs,
    IReadOnlyList<BatchJobEntry> Jobs,
    int PendingJobs,
    int RunningJobs,
    int CancelledJobs,
    string? FileName,
    string ResultsUrl,
    string EventsUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextJobsCursor);

/// A failed job's entry carries `error`; the others leave it out, as in v1.
public sealed record BatchJobEntry(
    string Domain,
    string JobId,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// A batch's counters, as the listing and the event stream show them.
public sealed record BatchCounters(
    string BatchId,
    string Status,
    DateTime StartedAt,
    DateTime? CompletedAt,
    int TotalJobs,
    int CompletedJobs,
    int FailedJobs,
    int CancelledJobs,
    int PendingJobs,
    int RunningJobs,
    string? FileName,
    string StatusUrl);

public sealed record BatchPage(IReadOnlyList<BatchCounters> Items, string? NextCursor);

/// One page of a batch's results: each item has the export's columns as its fields.
public sealed record BatchResultsPage(string BatchId, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyDictionary<string, object?>> Items, string? NextCursor);

/// What cancel and retry did.
public sealed record BatchControlResult(string BatchId, string Status, int AffectedJobs, string StatusUrl);

/// A job that ended, as the event stream sends it (event `job`, id = its end sequence in the batch).
public sealed record BatchJobEvent(string JobId, string Domain, string Status, string? Error, DateTime? CompletedAt, long Sequence);
