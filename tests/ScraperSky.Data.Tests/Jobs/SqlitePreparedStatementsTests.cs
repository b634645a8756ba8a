using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;
using SQLitePCL;

namespace ScraperSky.Data.Tests.Jobs;

/// A job's statements on SQLite stay prepared on the pooled connection that ran them, rather than parsed again for
/// every job.
public sealed class SqlitePreparedStatementsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_completed_job_leaves_its_statements_prepared_on_the_pooled_connection()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await database.EnqueueBatchAsync(["one.test", "two.test"]);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 2, Ct);

        Assert.True(await queue.CompleteAsync(claims[0], new SiteMetadata { Title = "One" }, null, Ct));

        // One context at a time: the pool hands back the physical connection the completion used.
        await using var db = database.CreateContext();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_db_status(connection.Handle, raw.SQLITE_DBSTATUS_STMT_USED, out var used, out _, 0));
        Assert.True(used > 0, "no statement is kept prepared on the connection");
        await connection.CloseAsync();

        // Run again with the kept statements, the second completion writes as the first did.
        Assert.True(await queue.CompleteAsync(claims[1], new SiteMetadata { Title = "Two" }, null, Ct));
        Assert.Equal(JobStatus.Completed, (await database.JobAsync(claims[1].Id)).Status);
        Assert.Equal(2, (await database.BatchAsync(claims[0].BatchId!.Value)).CompletedJobs);
    }

    [Fact]
    public async Task A_completion_reads_through_kept_statements_too_not_through_EF_Cores_commands()
    {
        var commands = new List<string>();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite,
            services: s => s.ConfigureDbContext<ScraperSkyDbContext>(b => b.AddInterceptors(new CommandRecorder(commands))));
        await database.EnqueueBatchAsync(["one.test"]);
        var queue = database.CreateQueue();
        var claim = (await queue.ClaimAsync("worker-1", 1, Ct))[0];

        // The domain's last scan, the tenant's webhooks (twice: the batch ends) and the batch's counters are reads.
        commands.Clear();
        Assert.True(await queue.CompleteAsync(claim, new SiteMetadata { Title = "One" }, null, Ct));

        Assert.Empty(commands);
        var batch = await database.BatchAsync(claim.BatchId!.Value);
        Assert.Equal((1, 1L, BatchStatus.Completed), (batch.CompletedJobs, batch.EndSequence, batch.Status));
    }

    [Fact]
    public async Task Kept_statements_bind_values_in_the_forms_EF_Core_writes()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();
        var id = Guid.Parse("0a1b2c3d-4e5f-6789-abcd-ef0123456789");
        var time = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_500);
        var (empty, longText) = ("", string.Concat(Enumerable.Repeat("Grüße ☎ ", 200)));

        var row = Assert.Single(await RawStatements.ReadAsync(db, $"SELECT {id}, {time}, {empty}, {longText}, {empty} IS NULL",
            static r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4)), Ct));

        Assert.Equal(("0A1B2C3D-4E5F-6789-ABCD-EF0123456789", "2026-03-01 12:00:00.1234500".TrimEnd('0'), "", longText, 0), row);
    }

    [Fact]
    public async Task A_claim_runs_through_kept_statements_not_compiled_again_for_another_limit_or_owner()
    {
        var commands = new List<string>();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite,
            services: s => s.ConfigureDbContext<ScraperSkyDbContext>(b => b.AddInterceptors(new CommandRecorder(commands))));
        var (batchId, _) = await database.EnqueueBatchAsync(Enumerable.Range(0, 20).Select(i => $"site-{i}.test"));
        await database.EnqueueAsync("single.test");
        var queue = database.CreateQueue();

        // The expired-lease sweep, the claim and the batch's start. SQLite plans by the value of a bare parameter in
        // LIMIT: a kept claim written so was compiled again at each run.
        commands.Clear();
        var claimed = 0;
        foreach (var (owner, limit) in new[] { ("worker-1", 1), ("worker-1", 3), ("worker-2", 5), ("worker-1", 2) })
        {
            claimed += (await queue.ClaimAsync(owner, limit, Ct)).Count;
        }

        await using var db = database.CreateContext();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        var (kept, compiledAgain) = (RawStatements.Kept(connection), RawStatements.TimesCompiledAgain(connection));
        await connection.CloseAsync();
        Assert.Equal(11, claimed);
        Assert.Empty(commands);
        Assert.True(kept >= 3, $"{kept} statements kept on the connection");
        Assert.Equal(0, compiledAgain);
        var batch = await database.BatchAsync(batchId);
        Assert.Equal((BatchStatus.InProgress, database.Time.GetUtcNow().UtcDateTime), (batch.Status, batch.StartedAt));
    }

    [Fact]
    public async Task The_status_reads_run_through_kept_statements_not_through_EF_Cores_commands()
    {
        var commands = new List<string>();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite,
            services: s => s.ConfigureDbContext<ScraperSkyDbContext>(b => b.AddInterceptors(new CommandRecorder(commands))));
        var (batchId, jobIds) = await database.EnqueueBatchAsync(["one.test", "two.test"]);
        var claim = (await database.CreateQueue().ClaimAsync("worker-1", 1, Ct))[0];

        // What a client polling a batch's page and a scan's status costs, twice: the second time on the statements the
        // first one left prepared on the pooled connection.
        commands.Clear();
        for (var poll = 0; poll < 2; poll++)
        {
            await using var db = database.CreateContext();
            Assert.Equal(batchId, (await StatusReads.BatchAsync(db, batchId, Tenant.DefaultId, Ct))?.Id);
            Assert.Equal((2, 1), (await StatusReads.BatchCountsAsync(db, [batchId], Ct)) is [var counts] ? (counts.TotalJobs, counts.RunningJobs) : default);
            Assert.Equal(jobIds.Order(), (await StatusReads.BatchJobsAsync(db, batchId, 0, 51, Ct)).Select(j => j.Id));
            Assert.Equal(JobStatus.Running, (await StatusReads.JobAsync(db, claim.Id, null, Ct))?.Status);
        }

        Assert.Empty(commands);
        await using var context = database.CreateContext();
        var connection = (SqliteConnection)context.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        var (kept, compiledAgain) = (RawStatements.Kept(connection), RawStatements.TimesCompiledAgain(connection));
        await connection.CloseAsync();
        Assert.True(kept >= 4, $"{kept} statements kept on the connection");
        Assert.Equal(0, compiledAgain);
    }

    private sealed class CommandRecorder(List<string> commands) : DbCommandInterceptor
    {
        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            commands.Add(result.CommandText);
            return result;
        }
    }

    [Fact]
    public async Task Kept_statements_are_not_compiled_again_when_their_connection_is_opened_again()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await database.EnqueueBatchAsync(["one.test", "two.test", "three.test"]);
        var queue = database.CreateQueue();
        var claims = await queue.ClaimAsync("worker-1", 3, Ct);

        // Each completion opens and closes the pooled connection; a change of the connection's functions or collations
        // at an open (as EF Core's own SQLite connection registers its functions) expires every statement prepared on it,
        // which SQLite then compiles again at its next step.
        foreach (var claim in claims)
        {
            Assert.True(await queue.CompleteAsync(claim, new SiteMetadata { Title = claim.Domain }, null, Ct));
        }

        await using var db = database.CreateContext();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        var kept = RawStatements.Kept(connection);
        var compiledAgain = RawStatements.TimesCompiledAgain(connection);
        await connection.CloseAsync();
        Assert.True(kept > 0, "no statement is kept prepared on the connection");
        Assert.Equal(0, compiledAgain);
    }
}
