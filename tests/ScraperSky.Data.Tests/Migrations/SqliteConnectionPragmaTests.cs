using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace ScraperSky.Data.Tests.Migrations;

/// The connection pragmas hold for a physical SQLite connection, which the pool keeps across logical opens: they are
/// set when it is new and not run again on each open (once per request, before).
public sealed class SqliteConnectionPragmaTests
{
    [Fact]
    public async Task A_new_physical_connection_gets_foreign_keys_relaxed_fsync_and_the_busy_timeout()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var connection = db.Database.GetDbConnection();

        Assert.Equal(1L, await PragmaAsync(connection, "foreign_keys"));
        Assert.Equal(1L, await PragmaAsync(connection, "synchronous")); // NORMAL
        Assert.Equal(60000L, await PragmaAsync(connection, "busy_timeout"));
    }

    [Fact]
    public async Task A_pooled_connection_opened_again_keeps_its_settings_without_the_pragmas_running_again()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        await using (var first = database.CreateContext())
        {
            await first.Database.OpenConnectionAsync(ct);
            // A setting the pragmas would overwrite if they ran on every open.
            await ExecuteAsync(first.Database.GetDbConnection(), "PRAGMA synchronous=FULL;");
        }

        await using var second = database.CreateContext();
        await second.Database.OpenConnectionAsync(ct);
        var connection = second.Database.GetDbConnection();

        Assert.Equal(2L, await PragmaAsync(connection, "synchronous")); // FULL: the same physical connection, untouched
        Assert.Equal(1L, await PragmaAsync(connection, "foreign_keys"));
    }

    private static async Task<long> PragmaAsync(DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
