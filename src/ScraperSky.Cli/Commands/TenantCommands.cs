using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Cli.Output;
using ScraperSky.Data;
using ScraperSky.Data.Tenancy;

namespace ScraperSky.Cli.Commands;

public static class TenantCommands
{
    public static Command Create(CliServices services)
    {
        var name = new Option<string>("--name") { Description = "The tenant's name", Required = true };
        var create = new Command("create", "Create a tenant and print its first API key (shown only this once).\n" +
                                           "Example: scrapersky tenants create --name Acme")
        {
            name,
        };
        create.SetAction((parseResult, cancellationToken) => services.RunAsync(migrateSqlite: true, async provider =>
        {
            var (tenant, key) = await provider.GetRequiredService<TenantStore>()
                .CreateTenantAsync(parseResult.GetRequiredValue(name), cancellationToken);
            var output = parseResult.InvocationConfiguration.Output;
            await output.WriteLineAsync($"tenant_id: {tenant.Id:D}");
            await KeyCommands.PrintKeyAsync(output, key);
            return 0;
        }, cancellationToken));

        var list = new Command("list", "List the tenants with their number of active API keys.\nExample: scrapersky tenants list");
        list.SetAction((parseResult, cancellationToken) => services.RunAsync(migrateSqlite: true, async provider =>
        {
            var db = provider.GetRequiredService<ScraperSkyDbContext>();
            var tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.CreatedAt)
                .Select(t => new { t.Id, t.Name, t.CreatedAt, Keys = db.ApiKeys.Count(k => k.TenantId == t.Id && k.RevokedAt == null) })
                .ToListAsync(cancellationToken);
            await RowTable.WriteAsync(parseResult.InvocationConfiguration.Output, ["tenant_id", "name", "created_at", "active_keys"],
                tenants.Select(t => (IReadOnlyList<string>)[t.Id.ToString("D"), t.Name, Time(t.CreatedAt), t.Keys.ToString(CultureInfo.InvariantCulture)]));
            return 0;
        }, cancellationToken));

        return new Command("tenants", "Manage tenants.") { create, list };
    }

    internal static string Time(DateTime? value) =>
        value?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
}
