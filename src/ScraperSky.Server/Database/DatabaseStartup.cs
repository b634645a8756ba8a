using ScraperSky.Data;

namespace ScraperSky.Server.Database;

public static class DatabaseStartup
{
    /// The embedded SQLite database is migrated on start; a shared PostgreSQL one only when asked (`--migrate true`),
    /// so that many server processes do not race to change one schema.
    public static async Task MigrateDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var provider = app.Services.GetRequiredService<DatabaseOptions>().Provider;
        if (provider != DatabaseProvider.Sqlite && !app.Configuration.GetValue<bool>("migrate"))
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
    }
}
