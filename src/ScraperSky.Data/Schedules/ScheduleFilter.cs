using System.Text.Json;
using System.Text.Json.Serialization;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Schedules;

/// A schedule's domain search as stored (the `filter` column): the filters of `GET /api/v1/domains` under their
/// query names, applied to the tenant's domains each time the schedule runs.
public sealed record ScheduleFilter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter<JobStatus>(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string? Q { get; init; }
    public IReadOnlyList<string>? Tech { get; init; }
    public string? Category { get; init; }
    public bool? HasEmail { get; init; }
    public bool? HasPhone { get; init; }
    public string? Language { get; init; }
    public bool? Wordpress { get; init; }
    public Guid? BatchId { get; init; }
    public DateTime? ScannedAfter { get; init; }
    public JobStatus? Status { get; init; }

    public DomainFilter ToDomainFilter() => new()
    {
        Text = Q,
        Technologies = Tech ?? [],
        Category = Category,
        HasEmail = HasEmail,
        HasPhone = HasPhone,
        Language = Language,
        Wordpress = Wordpress,
        BatchId = BatchId,
        ScannedAfter = ScannedAfter,
        Status = Status,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ScheduleFilter FromJson(string json) => JsonSerializer.Deserialize<ScheduleFilter>(json, Json) ?? new();
}
