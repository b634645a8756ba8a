using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Server.Errors;

namespace ScraperSky.Server.Batches;

/// A batch followed as Server-Sent Events: `job` for each job as it ends (its id is the job's end sequence in the
/// batch, so `Last-Event-ID` resumes after it), `counters` whenever the counters change, and `end` once every job
/// ended. The stream reads the database, so it follows jobs that any server process runs.
public static class BatchEvents
{
    private const int JobsPerRead = 500;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<Results<ServerSentEventsResult<object>, ProblemHttpResult>> FollowAsync(
        string batchId,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        ClaimsPrincipal user,
        ScraperSkyDbContext db,
        IDbContextFactory<ScraperSkyDbContext> contexts,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await BatchEndpoints.FindAsync(batchId, user, db, cancellationToken) is not { } batch)
        {
            return Problems.NotFound(BatchEndpoints.NotFoundDetail);
        }

        long after = 0;
        if (!string.IsNullOrEmpty(lastEventId) && (!long.TryParse(lastEventId, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            return Problems.BadRequest("Header 'Last-Event-ID' must be an event id this stream sent.");
        }

        return TypedResults.ServerSentEvents(StreamAsync(batch.Id, after, contexts, time, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(
        Guid batchId, long after, IDbContextFactory<ScraperSkyDbContext> contexts, TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BatchCounters? shown = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            BatchCounters counters;
            List<BatchJobEvent> ended;
            long lastSequence;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                // The batch's end sequence is read first: every job numbered up to it has committed its end.
                lastSequence = await db.BatchJobs.Where(b => b.Id == batchId).Select(b => b.EndSequence).SingleAsync(cancellationToken);
                counters = (await BatchReads.CountersAsync(db, batchId, cancellationToken))!;
                ended = await db.Jobs.AsNoTracking()
                    .Where(j => j.BatchId == batchId && j.EndSequence > after && j.EndSequence <= lastSequence)
                    .OrderBy(j => j.EndSequence).Take(JobsPerRead)
                    .Select(j => new BatchJobEvent(
                        PublicIds.Format(Job.PublicPrefix, j.Id), j.Domain, EnumNames.ToWire(j.Status),
                        j.Status == JobStatus.Failed ? j.Error ?? JobQueue.FailedMessage : null, j.CompletedAt, j.EndSequence!.Value))
                    .ToListAsync(cancellationToken);
            }

            foreach (var job in ended)
            {
                after = job.Sequence;
                yield return new SseItem<object>(job, "job") { EventId = Id(after) };
            }

            if (ended.Count == JobsPerRead)
            {
                continue;
            }

            if (shown is null || counters != shown)
            {
                shown = counters;
                yield return new SseItem<object>(counters, "counters") { EventId = Id(after) };
            }

            if (BatchReads.HasEnded(counters) && after >= lastSequence)
            {
                yield return new SseItem<object>(counters, "end") { EventId = Id(after) };
                yield break;
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    private static string Id(long sequence) => sequence.ToString(CultureInfo.InvariantCulture);
}
