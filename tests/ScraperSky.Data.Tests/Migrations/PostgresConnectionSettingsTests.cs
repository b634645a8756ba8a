using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ScraperSky.Data.Tests.Migrations;

/// PostgreSQL connections prepare the statements a job repeats and keep their session when they go back to the pool,
/// unless the connection string says otherwise.
public sealed class PostgresConnectionSettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_statement_run_again_and_again_is_prepared_once_on_the_connection()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        for (var i = 0; i < 8; i++)
        {
            await using var db = database.CreateContext();
            await db.Database.ExecuteSqlAsync($"UPDATE jobs SET progress_message = {"x"} WHERE id = {Guid.NewGuid()}", Ct);
        }

        await using var check = database.CreateContext();
        await check.Database.OpenConnectionAsync(Ct);
        Assert.Equal(1L, await ScalarAsync(check.Database.GetDbConnection(),
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'UPDATE jobs SET progress_message%'"));
    }

    [Fact]
    public async Task A_pooled_connection_keeps_its_session_when_opened_again()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using (var first = database.CreateContext())
        {
            await first.Database.ExecuteSqlRawAsync("CREATE TEMP TABLE kept (id integer)", Ct);
        }

        await using var second = database.CreateContext();
        await second.Database.OpenConnectionAsync(Ct);
        Assert.Equal(1L, await ScalarAsync(second.Database.GetDbConnection(),
            "SELECT count(*) FROM pg_tables WHERE tablename = 'kept' AND schemaname LIKE 'pg_temp%'"));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    [InlineData("Host=db;MaxAutoPrepare=5", 5, true)]
    [InlineData("Host=db", PostgresConnectionStrings.MaxAutoPrepare, true)]
    public void What_the_connection_string_sets_wins(string given, int maxAutoPrepare, bool noResetOnClose)
    {
        var prepared = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.Prepare(given));

        Assert.Equal((maxAutoPrepare, noResetOnClose), (prepared.MaxAutoPrepare, prepared.NoResetOnClose));
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
