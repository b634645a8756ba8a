using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScraperSky.Server.Schedules;

/// The body of `POST /api/v1/schedules`: one target (`domains`, `batch_id` or `filter`), one timing (`every` or
/// `cron` with an optional `time_zone`) and the scan options of every run.
public sealed record ScheduleRequest
{
    public IReadOnlyList<string?>? Domains { get; init; }

    /// A batch whose domains (as they are at each run) are scanned.
    public string? BatchId { get; init; }

    /// The filters of `GET /api/v1/domains`, applied to the tenant's domains at each run.
    public ScheduleFilterBody? Filter { get; init; }

    /// An ISO 8601 duration of at least one minute: `P7D`, `PT1H`, `PT30M`.
    public string? Every { get; init; }

    /// Five fields (minute hour day-of-month month day-of-week), read in `time_zone` (UTC when left out).
    public string? Cron { get; init; }

    /// An IANA time zone such as `Europe/Berlin`; for `cron` only.
    public string? TimeZone { get; init; }
    public int? MaxPages { get; init; }
    public bool? IncludeSitemaps { get; init; }
    public Guid? TenantId { get; init; }
}

/// A domain search as `GET /api/v1/domains` takes it, with the query parameters as fields (`tech` a list).
public sealed record ScheduleFilterBody
{
    public string? Q { get; init; }
    public IReadOnlyList<string>? Tech { get; init; }
    public string? Category { get; init; }
    public bool? HasEmail { get; init; }
    public bool? HasPhone { get; init; }
    public string? Language { get; init; }
    public bool? Wordpress { get; init; }
    public string? BatchId { get; init; }
    public DateTime? ScannedAfter { get; init; }

    /// `completed` or `failed`.
    public string? Status { get; init; }

    /// Fields that are not filters; refused, so that a misspelt filter cannot widen a schedule to every domain.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// A schedule: its target, timing and options, and what its runs did.
public sealed record ScheduleView(
    string Id,
    string Status,
    IReadOnlyList<string>? Domains,
    string? BatchId,
    ScheduleFilterBody? Filter,
    string? Every,
    string? Cron,
    string? TimeZone,
    int? MaxPages,
    bool? IncludeSitemaps,
    DateTime NextRunAt,
    DateTime? LastRunAt,
    string? LastBatchId,
    string? LastBatchStatusUrl,
    string? LastError,
    int RunCount,
    DateTime CreatedAt);

public sealed record SchedulePage(IReadOnlyList<ScheduleView> Items, string? NextCursor);
