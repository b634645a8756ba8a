using System.CommandLine;
using ScraperSky.Cli.Commands;

namespace ScraperSky.Cli;

public static class CliApplication
{
    /// The command tree. <paramref name="settings"/> go over appsettings.json and the environment (tests use them).
    public static RootCommand Create(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var services = new CliServices(settings);
        var root = new RootCommand("ScraperSky command line");
        root.Subcommands.Add(MigrateCommand.Create(services));
        root.Subcommands.Add(TenantCommands.Create(services));
        root.Subcommands.Add(KeyCommands.Create(services));
        return root;
    }
}
