using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ScraperSky.Data.Tests;

/// The context's SQLite connection carries none of EF Core's SQL functions, which Microsoft.Data.Sqlite would register
/// again at every open; reads and writes work without them.
public sealed class SqliteConnectionWithoutFunctionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_context_connection_opens_without_EF_Core_functions_and_still_reads_and_writes()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var jobId = await database.EnqueueAsync("one.test");

        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(Ct);
        try
        {
            foreach (var function in new[] { "ef_add(1, 2)", "ef_mod(3, 2)", "regexp('a', 'a')" })
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = $"SELECT {function}";
                var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteScalarAsync(Ct));
                Assert.Contains("no such function", error.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        Assert.Equal("one.test", (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, Ct)).Domain);
    }
}
