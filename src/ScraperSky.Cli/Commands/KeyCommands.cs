using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data.Tenancy;

namespace ScraperSky.Cli.Commands;

public static class KeyCommands
{
    public static Command Create(CliServices services)
    {
        var tenant = new Option<Guid>("--tenant") { Description = "The tenant's id", Required = true };
        var name = new Option<string>("--name") { Description = "A name to tell the key by", DefaultValueFactory = _ => "default" };
        var create = new Command("create", "Create an API key for a tenant and print it (shown only this once).") { tenant, name };
        create.SetAction((parseResult, cancellationToken) => services.RunAsync(migrateSqlite: true, async provider =>
        {
            var tenantId = parseResult.GetRequiredValue(tenant);
            var key = await provider.GetRequiredService<TenantStore>()
                .CreateKeyAsync(tenantId, parseResult.GetRequiredValue(name), cancellationToken);
            if (key is null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"Tenant {tenantId:D} does not exist.");
                return 1;
            }

            await PrintKeyAsync(parseResult.InvocationConfiguration.Output, key);
            return 0;
        }, cancellationToken));

        var id = new Argument<Guid>("id") { Description = "The key's id (as printed when it was created)" };
        var revoke = new Command("revoke", "Revoke an API key: requests with it get 401 from now on.") { id };
        revoke.SetAction((parseResult, cancellationToken) => services.RunAsync(migrateSqlite: true, async provider =>
        {
            var keyId = parseResult.GetRequiredValue(id);
            if (!await provider.GetRequiredService<TenantStore>().RevokeKeyAsync(keyId, cancellationToken))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"API key {keyId:D} does not exist.");
                return 1;
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"Revoked API key {keyId:D}.");
            return 0;
        }, cancellationToken));

        return new Command("keys", "Manage API keys.") { create, revoke };
    }

    internal static async Task PrintKeyAsync(TextWriter output, IssuedApiKey key)
    {
        await output.WriteLineAsync($"key_id: {key.Id:D}");
        await output.WriteLineAsync($"api_key: {key.Key}");
        await output.WriteLineAsync("Store the API key now: it is not stored and cannot be shown again.");
    }
}
