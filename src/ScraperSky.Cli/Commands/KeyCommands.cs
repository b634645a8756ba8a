using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Cli.Output;
using ScraperSky.Data;
using ScraperSky.Data.Tenancy;

namespace ScraperSky.Cli.Commands;

public static class KeyCommands
{
    public static Command Create(CliServices services)
    {
        var tenant = CommonOptions.Tenant("The tenant's id", required: true);
        var name = new Option<string>("--name") { Description = "A name to tell the key by", DefaultValueFactory = _ => "default" };
        var create = new Command("create", "Create an API key for a tenant and print it (shown only this once).\n" +
                                           "Example: scrapersky keys create --tenant 550e8400-e29b-41d4-a716-446655440000 --name ci")
        {
            tenant, name,
        };
        create.SetAction((parseResult, cancellationToken) => services.RunAsync(migrateSqlite: true, async provider =>
        {
            var tenantId = parseResult.GetValue(tenant)!.Value;
            var key = await provider.GetRequiredService<TenantStore>()
                .CreateKeyAsync(tenantId, parseResult.GetRequiredValue(name), cancellationToken)
                ?? throw new CliException($"Tenant {tenantId:D} does not exist: 'scrapersky tenants list' shows the tenants.");
            await PrintKeyAsync(parseResult.InvocationConfiguration.Output, key);
            return 0;
        }, cancellationToken));

        var id = new Argument<Guid>("id")
        {
            Description = "The key's id (as printed when it was created)",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (Guid.TryParse(text, out var keyId))
                {
                    return keyId;
                }

                result.AddError($"'{text}' is not an API key id: give the key_id that 'keys create' or 'keys list' shows");
                return Guid.Empty;
            },
        };
        var revoke = new Command("revoke", "Revoke an API key: requests with it get 401 from now on.\n" +
                                           "Example: scrapersky keys revoke 0193...")
        {
            id,
        };
        revoke.SetAction((parseResult, cancellationToken) => services.RunAsync(migrateSqlite: true, async provider =>
        {
            var keyId = parseResult.GetRequiredValue(id);
            if (!await provider.GetRequiredService<TenantStore>().RevokeKeyAsync(keyId, cancellationToken))
            {
                throw new CliException($"API key {keyId:D} does not exist.");
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"Revoked API key {keyId:D}.");
            return 0;
        }, cancellationToken));

        var listTenant = CommonOptions.Tenant("Only this tenant's keys");
        var list = new Command("list", "List API keys (never the keys themselves: only their ids, names and use).\n" +
                                       "Example: scrapersky keys list --tenant 550e8400-e29b-41d4-a716-446655440000")
        {
            listTenant,
        };
        list.SetAction((parseResult, cancellationToken) => services.RunAsync(migrateSqlite: true, async provider =>
        {
            var db = provider.GetRequiredService<ScraperSkyDbContext>();
            var keys = db.ApiKeys.AsNoTracking();
            if (parseResult.GetValue(listTenant) is { } only)
            {
                keys = keys.Where(k => k.TenantId == only);
            }

            var rows = await keys.OrderBy(k => k.CreatedAt)
                .Select(k => new { k.Id, k.TenantId, k.Name, k.CreatedAt, k.LastUsedAt, k.RevokedAt })
                .ToListAsync(cancellationToken);
            await RowTable.WriteAsync(parseResult.InvocationConfiguration.Output,
                ["key_id", "tenant_id", "name", "created_at", "last_used_at", "revoked_at"],
                rows.Select(k => (IReadOnlyList<string>)[
                    k.Id.ToString("D"), k.TenantId.ToString("D"), k.Name, TenantCommands.Time(k.CreatedAt),
                    TenantCommands.Time(k.LastUsedAt), TenantCommands.Time(k.RevokedAt)]));
            return 0;
        }, cancellationToken));

        return new Command("keys", "Manage API keys.") { create, revoke, list };
    }

    internal static async Task PrintKeyAsync(TextWriter output, IssuedApiKey key)
    {
        await output.WriteLineAsync($"key_id: {key.Id:D}");
        await output.WriteLineAsync($"api_key: {key.Key}");
        await output.WriteLineAsync("Store the API key now: it is not stored and cannot be shown again.");
    }
}
