using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ScraperSky.Data.Changes;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Tests.Jobs;

/// What a finished job costs the database, counted statement by statement, so that the count cannot creep back. On
/// SQLite the count is SQLite's own (its trace of every statement run, including those prepared once per connection
/// and run without EF Core); on PostgreSQL it is Npgsql's commands on the test's database (its tracing), EF Core's and
/// the raw statements' alike, each a round trip, a batch's statements joined by semicolons.
public abstract class CompletionStatementsTests(DatabaseProvider provider)
{
    // Job (lease check), scan row, technologies (one upsert for all), the domain's previous scan, webhooks, domain
    // row (one upsert of its facts), batch counters (one UPDATE returning the row), the job's end sequence.
    private const int StatementsPerCompletion = 8;

    // On PostgreSQL the writes wait for the next read (RawStatements.DeferAsync), and the reads of a group go together
    // (RawStatements.ReadEachAsync): the lease checks; the scan rows with the previous scans' and the webhooks' reads;
    // the technologies and the domain rows with the batch counters; the end sequences at the commit. As many for a
    // group as for one completion.
    private const int PostgresRoundTripsPerGroup = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Completing_a_batch_job_with_several_technologies_takes_a_fixed_number_of_statements()
    {
        var counter = new StatementCounter();
        await using var database = await CountedDatabaseAsync(counter);
        using var commands = provider == DatabaseProvider.Postgres ? new NpgsqlCommands(counter, database) : null;
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
        // The batch's last job also ends the batch: batch.completed goes to the webhooks the job's own event read, in the
        // same transaction, and the batch row is the one its counting UPDATE returned: nothing more is read.
        Assert.True(await queue.CompleteAsync(claims[1], metadata, null, Ct));
        var last = counter.Commands.ToArray();

        Assert.True(Statements(first) == StatementsPerCompletion, $"{Statements(first)} statements:\n{string.Join("\n---\n", first)}");
        Assert.True(Statements(last) == StatementsPerCompletion, $"{Statements(last)} statements:\n{string.Join("\n---\n", last)}");
        if (provider == DatabaseProvider.Postgres)
        {
            Assert.Equal((PostgresRoundTripsPerGroup, PostgresRoundTripsPerGroup), (first.Length, last.Length));
        }

        await using var db = database.CreateContext();
        Assert.Equal(4, await db.DomainTechnologies.CountAsync(t => t.Domain == "one.test", Ct));
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((2, 2L, BatchStatus.Completed), (batch.CompletedJobs, batch.EndSequence, batch.Status));
        Assert.NotNull(batch.CompletedAt);
        Assert.Equal([1L, 2L], (await db.Jobs.Where(j => j.BatchId == batchId).OrderBy(j => j.EndSequence)
            .Select(j => j.EndSequence ?? 0).ToListAsync(Ct)));
    }

    [Fact]
    public async Task Completions_stored_together_read_their_tenants_webhooks_and_count_their_batch_once()
    {
        var counter = new StatementCounter();
        await using var database = await CountedDatabaseAsync(counter);
        using var commands = provider == DatabaseProvider.Postgres ? new NpgsqlCommands(counter, database) : null;
        var (batchId, _) = await database.EnqueueBatchAsync(["one.test", "two.test", "three.test", "four.test"]);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 4, Ct);

        counter.Commands.Clear();
        Assert.Equal([true, true, true], await queue.CompleteAsync(
            [.. claims.Take(3).Select(c => new JobCompletion(c, new SiteMetadata { Title = c.Domain }, null))], Ct));
        var group = counter.Commands.ToArray();

        // Three completions without technologies, the second and third without the webhooks' read and the batch's UPDATE.
        Assert.True(Statements(group) == 3 * (StatementsPerCompletion - 1) - 4, $"{Statements(group)} statements:\n{string.Join("\n---\n", group)}");
        Assert.Single(group.SelectMany(c => c.Split(';')), c => c.Contains("FROM webhooks", StringComparison.Ordinal));
        Assert.Single(group.SelectMany(c => c.Split(';')), c => c.Contains("UPDATE batch_jobs", StringComparison.Ordinal));
        if (provider == DatabaseProvider.Postgres)
        {
            Assert.Equal(PostgresRoundTripsPerGroup, group.Length);
        }

        var batch = await database.BatchAsync(batchId);
        Assert.Equal((3, 3L, BatchStatus.InProgress), (batch.CompletedJobs, batch.EndSequence, batch.Status));
        await using var db = database.CreateContext();
        // Numbered in the group's order.
        Assert.Equal([.. claims.Take(3).Select((c, i) => (c.Id, i + 1L))], (await db.Jobs.Where(j => j.EndSequence != null)
            .OrderBy(j => j.EndSequence).Select(j => new { j.Id, j.EndSequence }).ToListAsync(Ct)).Select(j => (j.Id, j.EndSequence ?? 0)));
    }

    [Fact]
    public async Task A_rescan_after_a_completed_scan_reads_the_previous_scan_and_its_result_in_one_statement()
    {
        var counter = new StatementCounter();
        await using var database = await CountedDatabaseAsync(counter);
        using var commands = provider == DatabaseProvider.Postgres ? new NpgsqlCommands(counter, database) : null;
        var queue = database.CreateQueue();
        await database.EnqueueBatchAsync(["one.test"]);
        var first = (await queue.ClaimAsync("worker-1", 1, Ct))[0];
        Assert.True(await queue.CompleteAsync(first, new SiteMetadata { Title = "Old shop" }, null, Ct));
        database.Time.Advance(TimeSpan.FromMinutes(1));
        await database.EnqueueBatchAsync(["one.test"]);
        var again = (await queue.ClaimAsync("worker-1", 1, Ct))[0];

        counter.Commands.Clear();
        Assert.True(await queue.CompleteAsync(again, new SiteMetadata { Title = "New shop" }, null, Ct));
        var rescan = counter.Commands.ToArray();

        // No technologies (one statement fewer), the title change (one insert), the batch's end (nothing more).
        // The previous scan is the last completed one: read once, with its result.
        Assert.True(Statements(rescan) == StatementsPerCompletion, $"{Statements(rescan)} statements:\n{string.Join("\n---\n", rescan)}");
        if (provider == DatabaseProvider.Postgres)
        {
            Assert.Equal(PostgresRoundTripsPerGroup, rescan.Length);
        }

        await using var db = database.CreateContext();
        var change = Assert.Single(await db.DomainChanges.Where(c => c.Domain == "one.test").ToListAsync(Ct));
        Assert.Equal((ChangeTypes.TitleChanged, "title", "Old shop", "New shop"), (change.Type, change.Field, change.From, change.To));
    }

    /// The statements in <paramref name="commands"/>: on PostgreSQL a batch's are joined by semicolons (no statement
    /// here holds one of its own); SQLite's trace has one per statement.
    private int Statements(string[] commands) =>
        provider == DatabaseProvider.Postgres ? commands.Sum(c => 1 + c.Count(ch => ch == ';')) : commands.Length;

    /// A test database whose SQLite statements go to <paramref name="counter"/> (PostgreSQL's are counted by
    /// <see cref="NpgsqlCommands"/>, which needs the database's name).
    private Task<TestDatabase> CountedDatabaseAsync(StatementCounter counter) =>
        TestDatabase.CreateAsync(provider, services: s => s.ConfigureDbContext<ScraperSkyDbContext>(b =>
        {
            if (provider == DatabaseProvider.Sqlite)
            {
                b.AddInterceptors(new SqliteTrace(counter));
            }
        }));

    private sealed class StatementCounter
    {
        public ConcurrentQueue<string> Commands { get; } = new();
    }

    /// Every command Npgsql runs on the test's database (its tracing: an activity per command, tagged with the database
    /// and the statement's text once it has run), but for the transactions' own.
    private sealed class NpgsqlCommands : IDisposable
    {
        private readonly ActivityListener _listener;

        public NpgsqlCommands(StatementCounter counter, TestDatabase database)
        {
            var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.GetTagItem("db.namespace") as string == name && activity.GetTagItem("db.query.text") is string sql
                        && !sql.StartsWith("BEGIN", StringComparison.Ordinal) && !sql.StartsWith("COMMIT", StringComparison.Ordinal)
                        && !sql.StartsWith("ROLLBACK", StringComparison.Ordinal))
                    {
                        counter.Commands.Enqueue(sql);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public void Dispose() => _listener.Dispose();
    }

    /// Every statement SQLite runs on the test's connections, but for the transactions' own and the pragmas.
    private sealed class SqliteTrace(StatementCounter counter) : DbConnectionInterceptor
    {
        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Trace(connection);
            return Task.CompletedTask;
        }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Trace(connection);

        private void Trace(DbConnection connection) =>
            SQLitePCL.raw.sqlite3_trace(((SqliteConnection)connection).Handle, (_, sql) =>
            {
                if (!sql.StartsWith("BEGIN", StringComparison.Ordinal) && !sql.StartsWith("COMMIT", StringComparison.Ordinal)
                    && !sql.StartsWith("ROLLBACK", StringComparison.Ordinal) && !sql.StartsWith("PRAGMA", StringComparison.Ordinal))
                {
                    counter.Commands.Enqueue(sql);
                }
            }, null);
    }
}

public sealed class SqliteCompletionStatementsTests() : CompletionStatementsTests(DatabaseProvider.Sqlite);

public sealed class PostgresCompletionStatementsTests() : CompletionStatementsTests(DatabaseProvider.Postgres);
