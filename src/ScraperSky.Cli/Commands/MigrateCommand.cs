using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data;

namespace ScraperSky.Cli.Commands;

public static class MigrateCommand
{
    public static Command Create(CliServices services)
    {
        var command = new Command("migrate", "Apply pending database migrations (SQLite or PostgreSQL, as configured).");
        command.SetAction((parseResult, cancellationToken) => services.RunAsync(migrateSqlite: false, async provider =>
        {
            var pending = await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var output = parseResult.InvocationConfiguration.Output;
            await output.WriteLineAsync(pending.Count == 0
                ? "The database is up to date."
                : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
            return 0;
        }, cancellationToken));
        return command;
    }
}
