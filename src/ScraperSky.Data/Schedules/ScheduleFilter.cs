using System.Text.Json;
using System.Text.Json.Serialization;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Schedules;

/// A schedule's domain search as stored (the `filter` column): the filters of `GET /api/v1/domains` under their
/// query names, applied to the tenant's domains each time the schedule runs.
public static class ScheduleFilter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter<JobStatus>(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string ToJson(DomainFilter filter) => JsonSerializer.Serialize(filter, Json);

    public static DomainFilter FromJson(string json) => JsonSerializer.Deserialize<DomainFilter>(json, Json) ?? new();
}
