using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Tenancy;

namespace ScraperSky.Cli.Commands;

public static class TenantCommands
{
    public static Command Create(CliServices services)
    {
        var name = new Option<string>("--name") { Description = "The tenant's name", Required = true };
        var create = new Command("create", "Create a tenant and print its first API key (shown only this once).") { name };
        create.SetAction((parseResult, cancellationToken) => services.RunAsync(migrateSqlite: true, async provider =>
        {
            var (tenant, key) = await provider.GetRequiredService<TenantStore>()
                .CreateTenantAsync(parseResult.GetRequiredValue(name), cancellationToken);
            var output = parseResult.InvocationConfiguration.Output;
            await output.WriteLineAsync($"tenant_id: {tenant.Id:D}");
            await KeyCommands.PrintKeyAsync(output, key);
            return 0;
        }, cancellationToken));

        return new Command("tenants", "Manage tenants.") { create };
    }
}
