using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Schedules;
using ScraperSky.Scanning.Domains;

namespace ScraperSky.Server.Schedules;

/// Turns a `POST /api/v1/schedules` body into a new active schedule, or into the one problem a client fixes first,
/// naming its field.
public static class ScheduleRequestReader
{
    public sealed record Outcome(Schedule? Schedule, string? Problem);

    public static async Task<Outcome> ReadAsync(
        ScheduleRequest request, Guid tenantId, ScraperSkyDbContext db, int maxBatchSize, DateTime now,
        CancellationToken cancellationToken)
    {
        var targets = (request.Domains is null ? 0 : 1) + (request.BatchId is null ? 0 : 1) + (request.Filter is null ? 0 : 1);
        if (targets != 1)
        {
            return Fail("Exactly one of fields 'domains' (a list), 'batch_id' (its domains) and 'filter' (a domain search) is required.");
        }

        if (request.MaxPages is < 1)
        {
            return Fail("Field 'max_pages' must be a positive integer.");
        }

        var timing = ScheduleTiming.TryCreate(request.Every, request.Cron, request.TimeZone, out var timingProblem);
        if (timing is null)
        {
            return Fail(timingProblem!);
        }

        if (timing.First(now) is not { } first)
        {
            return Fail($"Field 'cron' names no time that will come: '{request.Cron}'.");
        }

        var schedule = new Schedule
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Every = request.Every,
            Cron = request.Cron,
            TimeZone = request.TimeZone,
            Options = new ScanJobOptions { MaxPages = request.MaxPages, IncludeSitemaps = request.IncludeSitemaps }.ToJson(),
            State = ScheduleState.Active,
            NextRunAt = first,
            CreatedAt = now,
        };
        string? problem;
        if (request.Domains is { } domains)
        {
            problem = ReadDomains(domains, maxBatchSize, schedule);
        }
        else if (request.BatchId is { } batchId)
        {
            schedule.SourceBatchId = await FindBatchAsync(batchId, tenantId, db, cancellationToken);
            problem = schedule.SourceBatchId is null ? $"Field 'batch_id' names no batch of this tenant: '{Quote(batchId)}'." : null;
        }
        else
        {
            problem = await ReadFilterAsync(request.Filter!, tenantId, db, schedule, cancellationToken);
        }

        return problem is null ? new Outcome(schedule, null) : Fail(problem);
    }

    private static Outcome Fail(string problem) => new(null, problem);

    /// A client's text in a problem detail, cut short so a huge entry does not fill the answer.
    private static string Quote(string text) => text.Length <= 200 ? text : text[..200] + "...";

    private static string? ReadDomains(IReadOnlyList<string?> entries, int maxBatchSize, Schedule schedule)
    {
        if (entries.Count == 0)
        {
            return "Field 'domains' holds no domains.";
        }

        if (entries.Count > maxBatchSize)
        {
            return $"Too many domains in field 'domains': {entries.Count} submitted, the limit is {maxBatchSize} per run (Jobs:MaxBatchSize).";
        }

        var domains = new List<string>(entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!DomainName.TryNormalize(entry, out var domain))
            {
                return $"Field 'domains' holds an invalid domain: '{Quote(entry ?? "")}'.";
            }

            if (seen.Add(domain))
            {
                domains.Add(domain);
            }
        }

        schedule.Domains = domains;
        return null;
    }

    private static async Task<Guid?> FindBatchAsync(string text, Guid tenantId, ScraperSkyDbContext db, CancellationToken cancellationToken)
    {
        if (!PublicIds.TryParse(text, BatchJob.PublicPrefix, out var id))
        {
            return null;
        }

        return await db.BatchJobs.AnyAsync(b => b.Id == id && b.TenantId == tenantId, cancellationToken) ? id : null;
    }

    private static async Task<string?> ReadFilterAsync(
        ScheduleFilterBody body, Guid tenantId, ScraperSkyDbContext db, Schedule schedule, CancellationToken cancellationToken)
    {
        if (body.Unknown is { Count: > 0 } unknown)
        {
            return $"Field 'filter.{unknown.Keys.First()}' is not a filter of GET /api/v1/domains " +
                   "(q, tech, category, has_email, has_phone, language, wordpress, batch_id, scanned_after, status).";
        }

        JobStatus? status = null;
        if (body.Status is not null)
        {
            if (!Enum.TryParse<JobStatus>(body.Status, ignoreCase: true, out var parsed) || parsed is not (JobStatus.Completed or JobStatus.Failed))
            {
                return "Field 'filter.status' must be completed or failed.";
            }

            status = parsed;
        }

        Guid? batchId = null;
        if (body.BatchId is not null)
        {
            batchId = await FindBatchAsync(body.BatchId, tenantId, db, cancellationToken);
            if (batchId is null)
            {
                return $"Field 'filter.batch_id' names no batch of this tenant: '{Quote(body.BatchId)}'.";
            }
        }

        if (body.Tech is { } tech && tech.Any(string.IsNullOrWhiteSpace))
        {
            return "Field 'filter.tech' holds an empty technology name.";
        }

        schedule.Filter = ScheduleFilter.ToJson(new DomainFilter
        {
            Text = body.Q,
            Technologies = body.Tech ?? [],
            Category = body.Category,
            HasEmail = body.HasEmail,
            HasPhone = body.HasPhone,
            Language = body.Language,
            Wordpress = body.Wordpress,
            BatchId = batchId,
            ScannedAfter = body.ScannedAfter?.ToUniversalTime(),
            Status = status,
        });
        return null;
    }
}
