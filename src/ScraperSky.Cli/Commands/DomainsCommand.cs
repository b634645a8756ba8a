using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Cli.Output;
using ScraperSky.Cli.Remote;
using ScraperSky.Data;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Spreadsheets;
using ScraperSky.Server.Exports;

namespace ScraperSky.Cli.Commands;

/// `domains`: the scanned domains as a table, with the filters of `GET /api/v1/domains`. The rows are the export's
/// (the same columns as `export`), of which the table shows the ones a person scans by eye.
public static class DomainsCommand
{
    private static readonly string[] Shown = ["domain", "status", "title", "emails", "technologies", "last_scan_at"];

    public static Command Create(CliServices services)
    {
        var filters = new DomainFilterOptions();
        var batch = new Option<string?>("--batch") { Description = "Only the domains of this batch", HelpName = "batch_id" };
        var limit = CommonOptions.PositiveInt("--limit", "The most rows to show (default 100)");
        var tenant = CommonOptions.Tenant("The tenant whose domains to list (local; default: local mode's tenant)");
        var remote = new RemoteOptions();
        var command = new Command("domains", "List the scanned domains with their facts, filtered as the API filters them.\n" +
                                             "Example: scrapersky domains --tech WordPress --has-email --limit 20")
        {
            batch, limit, tenant,
        };
        filters.AddTo(command);
        remote.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var max = parseResult.GetValue(limit) ?? 100;
            var batchId = parseResult.GetValue(batch);
            var rows = new List<IReadOnlyList<string>>();
            using var client = remote.Client(parseResult);
            if (client is not null)
            {
                var query = filters.Query(parseResult, batchId);
                query.Add(new("format", "jsonl"));
                await foreach (var row in client.ReadLinesAsync($"/api/v1/domains?{DomainFilterOptions.QueryString(query)}", cancellationToken))
                {
                    rows.Add(Cells(row));
                    if (rows.Count == max)
                    {
                        break;
                    }
                }
            }
            else
            {
                var batchGuid = batchId is null ? (Guid?)null : DomainFilterOptions.ParseBatch(batchId);
                await services.RunAsync(migrateSqlite: true, async provider =>
                {
                    var tenantId = await CliServices.TenantAsync(provider, parseResult.GetValue(tenant), cancellationToken);
                    var db = provider.GetRequiredService<ScraperSkyDbContext>();
                    var matching = DomainSearch.Filter(db, tenantId, filters.Filter(parseResult, batchGuid)).AsNoTracking();
                    var records = DomainSearch.Page(matching, filters.Sort(parseResult), null).Take(max)
                        .Select(DomainRecord.FromRow).AsAsyncEnumerable();
                    // Written as the JSON Lines export, so a row reads the same whether it came from here or a server.
                    using var lines = new MemoryStream();
                    await TableWriter.WriteAsync(lines, TableFormat.Jsonl, ResultColumns.Domains, records, cancellationToken);
                    lines.Position = 0;
                    using var reader = new StreamReader(lines);
                    while (await reader.ReadLineAsync(cancellationToken) is { Length: > 0 } line)
                    {
                        using var json = JsonDocument.Parse(line);
                        rows.Add(Cells(json.RootElement));
                    }

                    return 0;
                }, cancellationToken);
            }

            var output = parseResult.InvocationConfiguration.Output;
            await RowTable.WriteAsync(output, Shown, rows);
            if (rows.Count == 0)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("No domains match.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string[] Cells(JsonElement row) =>
        [.. Shown.Select(name => row.TryGetProperty(name, out var value) ? RowTable.Cell(value) : "")];
}
