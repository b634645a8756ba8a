using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScraperSky.Cli.Batches;
using ScraperSky.Cli.Output;
using ScraperSky.Cli.Remote;
using ScraperSky.Data;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Cli.Commands;

/// `batch <file|->` and `batch resume <batch_id>`: a list of domains scanned as a durable batch, locally with the
/// server's worker code or on `--server`, with live progress and the results written as the results endpoint does.
public static class BatchCommand
{
    private const string Stdin = "-";

    public static Command Create(CliServices services)
    {
        var file = new Argument<string>("file") { Description = "A CSV or XLSX file of domains, or - for standard input" };
        var column = new Option<string?>("--column")
        {
            Description = "The domain column: a header name, a letter (B) or a number (2); found by itself otherwise",
            HelpName = "name",
        };
        var output = CommonOptions.Out("Write the results here; .csv, .xlsx or .jsonl (default: CSV on standard output)");
        var concurrency = CommonOptions.PositiveInt("--concurrency", "Scans at once (Jobs:Concurrency; local runs only)");
        var maxPages = CommonOptions.MaxPages();
        var noSitemaps = new Option<bool>("--no-sitemaps") { Description = "Do not read the sites' sitemaps" };
        var tenant = CommonOptions.Tenant("The tenant the batch belongs to (local runs; default: local mode's tenant)");
        var remote = new RemoteOptions();
        var command = new Command("batch", "Scan every domain of a CSV/XLSX file or of standard input, with live progress, " +
                                           "and write the enriched rows. Ctrl+C stops; 'batch resume' finishes later.\n" +
                                           "Example: scrapersky batch leads.csv --out results.xlsx --concurrency 16")
        {
            file, column, output, concurrency, maxPages, noSitemaps, tenant,
        };
        remote.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetRequiredValue(file);
            var results = ResultFile.Parse(parseResult.GetValue(output));
            var error = parseResult.InvocationConfiguration.Error;
            var options = new ScanJobOptions
            {
                MaxPages = parseResult.GetValue(maxPages),
                IncludeSitemaps = parseResult.GetValue(noSitemaps) ? false : null,
            };
            var name = path == Stdin ? "standard input" : Path.GetFileName(path);
            var content = await ReadInputAsync(path, cancellationToken);
            using var client = remote.Client(parseResult);
            if (client is not null)
            {
                var (batchId, usedColumn, rows) = await client.UploadBatchAsync(
                    content, path == Stdin ? "stdin.csv" : name, parseResult.GetValue(column), options.MaxPages,
                    options.IncludeSitemaps ?? true, cancellationToken);
                await error.WriteLineAsync($"Batch {batchId}: {rows} rows, domains from column '{usedColumn}', running on {client.Server}.");
                return await RemoteBatch.FollowAsync(client, batchId, results, error, cancellationToken);
            }

            return await LocalBatch.RunAsync(services, parseResult.GetValue(concurrency), async provider =>
            {
                var maxRows = provider.GetRequiredService<IOptions<JobOptions>>().Value.MaxBatchSize;
                DomainTable table;
                try
                {
                    table = await DomainTableReader.ReadAsync(new MemoryStream(content), name, parseResult.GetValue(column), maxRows, cancellationToken);
                }
                catch (DomainTableException e)
                {
                    throw new CliException($"{name}: {e.Message}");
                }

                if (table.Rows.Count == 0)
                {
                    throw new CliException($"{name}: the file has no data rows.");
                }

                var tenantId = await CliServices.TenantAsync(provider, parseResult.GetValue(tenant), cancellationToken);
                var usedColumn = table.Headers[table.DomainColumnIndex];
                var submitted = await provider.GetRequiredService<JobSubmission>().SubmitBatchAsync(
                    tenantId, [.. table.Rows.Select(r => new BatchInput(r.Input, r.Row, r.Cells))],
                    new BatchSource(path == Stdin ? null : name, table.Headers, usedColumn), options, cancellationToken);
                await error.WriteLineAsync(
                    $"Batch {submitted.Batch.PublicId}: {table.Rows.Count} rows, {submitted.JobCount} domains from column '{usedColumn}'.");
                return submitted.Batch.Id;
            }, results, error, cancellationToken);
        });

        command.Subcommands.Add(CreateResume(services));
        return command;
    }

    private static Command CreateResume(CliServices services)
    {
        var batch = new Argument<string>("batch_id") { Description = "The batch to finish, as 'batch' printed it" };
        var output = CommonOptions.Out("Write the results here; .csv, .xlsx or .jsonl (default: CSV on standard output)");
        var concurrency = CommonOptions.PositiveInt("--concurrency", "Scans at once (Jobs:Concurrency; local runs only)");
        var remote = new RemoteOptions();
        var command = new Command("resume", "Finish a batch that was stopped (Ctrl+C, or the process was killed) and write " +
                                            "its results; what already ended is not scanned again.\n" +
                                            "Example: scrapersky batch resume batch_0193... --out results.csv")
        {
            batch, output, concurrency,
        };
        remote.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var batchId = parseResult.GetRequiredValue(batch);
            var results = ResultFile.Parse(parseResult.GetValue(output));
            var error = parseResult.InvocationConfiguration.Error;
            using var client = remote.Client(parseResult);
            if (client is not null)
            {
                var summary = await client.GetBatchAsync(batchId, cancellationToken);
                return await RemoteBatch.FollowAsync(client, summary.BatchId, results, error, cancellationToken);
            }

            return await LocalBatch.RunAsync(services, parseResult.GetValue(concurrency), async provider =>
            {
                var id = await LocalBatch.FindAsync(provider, batchId, cancellationToken);
                var summary = await LocalBatch.CountersAsync(provider, id, cancellationToken);
                await error.WriteLineAsync($"Batch {summary.BatchId}: {summary.Ended} of {summary.Total} domains already done.");
                if (summary.Running > 0)
                {
                    await error.WriteLineAsync(
                        $"{summary.Running} scans were left running by a stopped process; they start again when their lease runs out (Jobs:LeaseDuration).");
                }

                return id;
            }, results, error, cancellationToken);
        });
        return command;
    }

    private static async Task<byte[]> ReadInputAsync(string path, CancellationToken cancellationToken)
    {
        if (path == Stdin)
        {
            await using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            await stdin.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"{path} is a folder; give a CSV or XLSX file.");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"File {path} does not exist.");
        }

        if (new FileInfo(path).Length > DomainTableReader.MaxFileBytes)
        {
            throw new CliException($"{path} is larger than {DomainTableReader.MaxFileBytes / (1024 * 1024)} MiB.");
        }

        return await File.ReadAllBytesAsync(path, cancellationToken);
    }
}
