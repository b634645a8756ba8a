using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Cli.Batches;
using ScraperSky.Cli.Output;
using ScraperSky.Cli.Remote;
using ScraperSky.Data;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Spreadsheets;
using ScraperSky.Server.Batches;
using ScraperSky.Server.Exports;

namespace ScraperSky.Cli.Commands;

/// `export`: a file as the API's lists give it: a batch's results (`--batch`, as `GET /api/v1/batch/{id}/results`)
/// or the scanned domains with filters (as `GET /api/v1/domains`).
public static class ExportCommand
{
    public static Command Create(CliServices services)
    {
        var filters = new DomainFilterOptions();
        var batch = new Option<string?>("--batch")
        {
            Description = "Export this batch's results (one row per submitted entry) instead of the domain list",
            HelpName = "batch_id",
        };
        var output = CommonOptions.Out("The file to write; .csv, .xlsx or .jsonl (default: CSV on standard output)");
        var tenant = CommonOptions.Tenant("The tenant whose domains to export (local; default: local mode's tenant)");
        var remote = new RemoteOptions();
        var command = new Command("export", "Write the scanned domains (with filters) or a batch's results to a file.\n" +
                                            "Example: scrapersky export --tech WordPress --out wordpress.xlsx")
        {
            batch, output, tenant,
        };
        filters.AddTo(command);
        remote.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var results = ResultFile.Parse(parseResult.GetValue(output));
            var batchId = parseResult.GetValue(batch);
            if (batchId is not null && filters.Any(parseResult))
            {
                throw new CliException("--batch exports a batch's results as submitted; the filters apply to the domain list: give one or the other.");
            }

            using var client = remote.Client(parseResult);
            if (client is not null)
            {
                var path = batchId is not null
                    ? $"/api/v1/batch/{Uri.EscapeDataString(batchId)}/results?format={results.FormatName}"
                    : $"/api/v1/domains?{DomainFilterOptions.QueryString([.. filters.Query(parseResult, null), new("format", results.FormatName)])}";
                await results.WriteAsync((stream, token) => client.DownloadAsync(path, stream, token), cancellationToken);
            }
            else
            {
                await services.RunAsync(migrateSqlite: true, async provider =>
                {
                    var db = provider.GetRequiredService<ScraperSkyDbContext>();
                    if (batchId is not null)
                    {
                        var id = await LocalBatch.FindAsync(provider, batchId, cancellationToken);
                        var row = await db.BatchJobs.AsNoTracking().SingleAsync(b => b.Id == id, cancellationToken);
                        await results.WriteAsync((stream, token) => TableWriter.WriteAsync(
                            stream, results.Format, BatchEndpoints.ResultColumnsOf(row), BatchEndpoints.ResultRowsOf(db, id), token), cancellationToken);
                        return 0;
                    }

                    var tenantId = await CliServices.TenantAsync(provider, parseResult.GetValue(tenant), cancellationToken);
                    var matching = DomainSearch.Filter(db, tenantId, filters.Filter(parseResult, null)).AsNoTracking();
                    var records = DomainSearch.Page(matching, filters.Sort(parseResult), null).Select(DomainRecord.FromRow).AsAsyncEnumerable();
                    await results.WriteAsync((stream, token) => TableWriter.WriteAsync(
                        stream, results.Format, ResultColumns.Domains, records, token), cancellationToken);
                    return 0;
                }, cancellationToken);
            }

            if (results.Path is not null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"Wrote {results.Path}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
