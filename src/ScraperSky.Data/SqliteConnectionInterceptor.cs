using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace ScraperSky.Data;

/// Puts every SQLite connection in WAL mode with relaxed fsync and foreign keys on.
/// The pragmas hold for the physical connection, which the SqliteConnection pool keeps open across logical opens;
/// so they run once per physical connection, not on every open (every request, before).
internal sealed class SqliteConnectionInterceptor : DbConnectionInterceptor
{
    public static readonly SqliteConnectionInterceptor Instance = new();

    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=60000;";

    // Keyed by the native handle object, which lives as long as the physical connection: a handle the pool closes
    // drops out on its own, and a new one is never mistaken for an old one.
    private static readonly ConditionalWeakTable<sqlite3, object> Prepared = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!IsNew(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        MarkPrepared(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!IsNew(connection))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        MarkPrepared(connection);
    }

    private static bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || !Prepared.TryGetValue(handle, out _);

    private static void MarkPrepared(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            Prepared.AddOrUpdate(handle, Prepared);
        }
    }
}
