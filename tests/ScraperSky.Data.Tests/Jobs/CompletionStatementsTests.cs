using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Tests.Jobs;

/// What a finished job costs the database, counted statement by statement, so that the count cannot creep back.
public abstract class CompletionStatementsTests(DatabaseProvider provider)
{
    // Job (lease check), scan row, technologies (one upsert for all), the domain's previous scan, webhooks, domain
    // row (one upsert of its facts), batch counters (one UPDATE returning the row), the job's end sequence.
    private const int StatementsPerCompletion = 8;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Completing_a_batch_job_with_several_technologies_takes_a_fixed_number_of_statements()
    {
        var counter = new CommandCounter();
        await using var database = await TestDatabase.CreateAsync(
            provider, services: s => s.ConfigureDbContext<ScraperSkyDbContext>(b => b.AddInterceptors(counter)));
        var (batchId, _) = await database.EnqueueBatchAsync(["one.test", "two.test"]);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 2, Ct);
        var metadata = new SiteMetadata
        {
            Title = "Shop",
            Technologies =
            [
                new DetectedTechnology("WordPress", ["CMS"], "6.5.2", 100),
                new DetectedTechnology("Elementor", ["Page builders"], null, 100),
                new DetectedTechnology("Google Analytics", ["Analytics"], null, 100),
                new DetectedTechnology("jQuery", ["JavaScript libraries"], "3.7.1", 100),
            ],
        };

        counter.Commands.Clear();
        Assert.True(await queue.CompleteAsync(claims[0], metadata, null, Ct));
        var first = counter.Commands.ToArray();
        counter.Commands.Clear();
        // The batch's last job also ends the batch: one more read, its tenant's webhooks, for batch.completed (the batch row
        // is the one its counting UPDATE returned).
        Assert.True(await queue.CompleteAsync(claims[1], metadata, null, Ct));
        var last = counter.Commands.ToArray();

        Assert.True(first.Length == StatementsPerCompletion, $"{first.Length} statements:\n{string.Join("\n---\n", first)}");
        Assert.True(last.Length == StatementsPerCompletion + 1, $"{last.Length} statements:\n{string.Join("\n---\n", last)}");
        await using var db = database.CreateContext();
        Assert.Equal(4, await db.DomainTechnologies.CountAsync(t => t.Domain == "one.test", Ct));
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((2, 2L, BatchStatus.Completed), (batch.CompletedJobs, batch.EndSequence, batch.Status));
        Assert.NotNull(batch.CompletedAt);
        Assert.Equal([1L, 2L], (await db.Jobs.Where(j => j.BatchId == batchId).OrderBy(j => j.EndSequence)
            .Select(j => j.EndSequence ?? 0).ToListAsync(Ct)));
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public ConcurrentQueue<string> Commands { get; } = new();

        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            Commands.Enqueue(result.CommandText);
            return result;
        }
    }
}

public sealed class SqliteCompletionStatementsTests() : CompletionStatementsTests(DatabaseProvider.Sqlite);

public sealed class PostgresCompletionStatementsTests() : CompletionStatementsTests(DatabaseProvider.Postgres);
