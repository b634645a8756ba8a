using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ScraperSky.Data.Tests;

/// Writes deferred with <see cref="RawStatements.DeferAsync"/>: on PostgreSQL they go with the context's next
/// statement or at the commit, never after a read that should see them, never lost, never sent after a rollback; on
/// SQLite they run at once.
public abstract class DeferredStatementsTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FormattableString InsertTenant(Guid id, string name) =>
        $"INSERT INTO tenants (id, name, created_at) VALUES ({id}, {name}, {new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)})";

    private static Task<List<string>> RawNamesAsync(ScraperSkyDbContext db, Guid id) =>
        RawStatements.ReadAsync(db, $"SELECT name FROM tenants WHERE id = {id}", static row => row.GetString(0), Ct);

    [Fact]
    public async Task A_deferred_write_is_seen_by_the_next_raw_read_and_by_EF_Core_and_is_committed()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var db = database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await RawStatements.DeferAsync(db, InsertTenant(first, "first"), Ct);
            Assert.Equal(provider == DatabaseProvider.Postgres, db.DeferredStatements is { Count: 1 });

            Assert.Equal(["first"], await RawNamesAsync(db, first));
            Assert.Null(db.DeferredStatements);

            await RawStatements.DeferAsync(db, InsertTenant(second, "second"), Ct);
            Assert.True(await db.Tenants.AnyAsync(t => t.Id == second, Ct));

            // The lease check's form: a count read from a statement sent behind deferred writes.
            await RawStatements.DeferAsync(db, $"UPDATE tenants SET name = 'renamed' WHERE id = {first}", Ct);
            Assert.Equal(1, await RawStatements.ExecuteAsync(db, $"UPDATE tenants SET name = 'twice' WHERE id = {first} OR id = {second} AND name = 'none'", Ct));

            // Left waiting at the commit.
            await RawStatements.DeferAsync(db, $"UPDATE tenants SET name = 'committed' WHERE id = {second}", Ct);
            await transaction.CommitAsync(Ct);
        }

        await using var check = database.CreateContext();
        Assert.Equal(["twice"], await RawNamesAsync(check, first));
        Assert.Equal(["committed"], await RawNamesAsync(check, second));
    }

    [Fact]
    public async Task Reads_made_together_each_get_their_own_rows_after_the_writes_waiting_before_them()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (first, second, absent) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        await RawStatements.DeferAsync(db, InsertTenant(first, "first"), Ct);
        await RawStatements.DeferAsync(db, InsertTenant(second, "second"), Ct);
        var (ofFirst, ofAbsent, both, renamed) = (new List<string>(), new List<string>(), new List<string>(), new List<Guid>());

        // A read of no rows between two that have some, and a write read through its RETURNING.
        await RawStatements.ReadEachAsync(db, [
            new RawRead($"SELECT name FROM tenants WHERE id = {first}", row => ofFirst.Add(row.GetString(0))),
            new RawRead($"SELECT name FROM tenants WHERE id = {absent}", row => ofAbsent.Add(row.GetString(0))),
            new RawRead($"SELECT name FROM tenants WHERE id = {first} OR id = {second} ORDER BY name", row => both.Add(row.GetString(0))),
            new RawRead($"UPDATE tenants SET name = 'renamed' WHERE id = {second} RETURNING id", row => renamed.Add(row.GetGuid(0))),
        ], Ct);

        Assert.Null(db.DeferredStatements);
        Assert.Equal(["first"], ofFirst);
        Assert.Empty(ofAbsent);
        Assert.Equal(["first", "second"], both);
        Assert.Equal([second], renamed);
        await transaction.CommitAsync(Ct);
        Assert.Equal(["renamed"], await RawNamesAsync(db, second));
    }

    [Fact]
    public async Task A_rollback_drops_what_waits_and_the_next_transaction_does_not_send_it()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (dropped, kept) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var db = database.CreateContext())
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
            {
                await RawStatements.DeferAsync(db, InsertTenant(dropped, "dropped"), Ct);
                await transaction.RollbackAsync(Ct);
            }

            Assert.Null(db.DeferredStatements);
            await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
            {
                await RawStatements.DeferAsync(db, InsertTenant(kept, "kept"), Ct);
                await transaction.CommitAsync(Ct);
            }
        }

        await using var check = database.CreateContext();
        Assert.Empty(await RawNamesAsync(check, dropped));
        Assert.Equal(["kept"], await RawNamesAsync(check, kept));
    }

    [Fact]
    public async Task A_deferred_write_that_fails_fails_its_transaction_and_nothing_of_it_is_committed()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var (ok, clash) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var db = database.CreateContext())
        {
            await RawStatements.ExecuteAsync(db, InsertTenant(clash, "existing"), Ct);
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await RawStatements.DeferAsync(db, InsertTenant(ok, "ok"), Ct);
            var failure = await Record.ExceptionAsync(async () =>
            {
                // On PostgreSQL the duplicate key waits and fails the read it goes with; on SQLite it fails at once.
                await RawStatements.DeferAsync(db, InsertTenant(clash, "duplicate"), Ct);
                await RawNamesAsync(db, ok);
            });

            Assert.True(failure is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or Microsoft.Data.Sqlite.SqliteException,
                $"unexpected: {failure}");
            Assert.Null(db.DeferredStatements);
        }

        await using var check = database.CreateContext();
        Assert.Empty(await RawNamesAsync(check, ok));
        Assert.Equal(["existing"], await RawNamesAsync(check, clash));
    }

    [Fact]
    public async Task Outside_a_transaction_a_deferred_write_runs_at_once()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var id = Guid.NewGuid();
        await using (var db = database.CreateContext())
        {
            await RawStatements.DeferAsync(db, InsertTenant(id, "now"), Ct);
            Assert.Null(db.DeferredStatements);
        }

        await using var check = database.CreateContext();
        Assert.Equal(["now"], await RawNamesAsync(check, id));
    }
}

public sealed class SqliteDeferredStatementsTests() : DeferredStatementsTests(DatabaseProvider.Sqlite);

public sealed class PostgresDeferredStatementsTests() : DeferredStatementsTests(DatabaseProvider.Postgres);
