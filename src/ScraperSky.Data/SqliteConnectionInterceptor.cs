using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ScraperSky.Data;

/// Puts every SQLite connection in WAL mode with relaxed fsync and foreign keys on.
internal sealed class SqliteConnectionInterceptor : DbConnectionInterceptor
{
    public static readonly SqliteConnectionInterceptor Instance = new();

    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=60000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
