using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ScraperSky.Data;

/// Applies pending migrations of the configured provider. The server calls it on start for the embedded SQLite
/// default; a shared PostgreSQL database is migrated by an explicit step (the `migrate` command) before servers start,
/// so several processes never race to alter one schema.
public sealed partial class DatabaseMigrator(ScraperSkyDbContext db, DatabaseOptions options, ILogger<DatabaseMigrator> logger)
{
    /// The migrations applied by this call, oldest first; empty when the schema was current.
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            LogCurrent(logger, options.Provider);
            return [];
        }

        LogApplying(logger, pending.Count, options.Provider);
        await db.Database.MigrateAsync(cancellationToken);
        return pending;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Provider} database schema is up to date")]
    private static partial void LogCurrent(ILogger logger, DatabaseProvider provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s) to the {Provider} database")]
    private static partial void LogApplying(ILogger logger, int count, DatabaseProvider provider);
}
