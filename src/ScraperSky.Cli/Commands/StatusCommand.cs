using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Cli.Batches;
using ScraperSky.Cli.Remote;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Cli.Commands;

/// `status <batch_id|job_id>`: a batch's counters or one scan's state, from the local database or a server.
public static class StatusCommand
{
    public static Command Create(CliServices services)
    {
        var id = new Argument<string>("id") { Description = "A batch id (batch_...) or a scan job id (scan_...)" };
        var remote = new RemoteOptions();
        var command = new Command("status", "Show a batch's counters or a scan's state.\n" +
                                            "Example: scrapersky status batch_0193...")
        {
            id,
        };
        remote.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetRequiredValue(id).Trim();
            var output = parseResult.InvocationConfiguration.Output;
            var isBatch = text.StartsWith(BatchJob.PublicPrefix, StringComparison.OrdinalIgnoreCase);
            if (!isBatch && !text.StartsWith(Job.PublicPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"'{text}' is neither a batch id (batch_...) nor a scan job id (scan_...).");
            }

            using var client = remote.Client(parseResult);
            if (client is not null)
            {
                if (isBatch)
                {
                    await (await client.GetBatchAsync(text, cancellationToken)).WriteAsync(output);
                }
                else
                {
                    using var job = await client.GetJobAsync(text, cancellationToken);
                    await JobSummary.From(job.RootElement).WriteAsync(output);
                }

                return ExitCodes.Success;
            }

            return await services.RunAsync(migrateSqlite: true, async provider =>
            {
                if (isBatch)
                {
                    var batchId = await LocalBatch.FindAsync(provider, text, cancellationToken);
                    await (await LocalBatch.CountersAsync(provider, batchId, cancellationToken)).WriteAsync(output);
                    return ExitCodes.Success;
                }

                var db = provider.GetRequiredService<ScraperSkyDbContext>();
                var job = PublicIds.TryParse(text, Job.PublicPrefix, out var jobId)
                    ? await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken)
                    : null;
                if (job is null)
                {
                    throw new CliException($"Scan job {text} does not exist in the local database.");
                }

                await new JobSummary(
                    job.PublicId, job.Domain, EnumNames.ToWire(job.Status),
                    job.Status == JobStatus.Failed ? job.Error ?? JobQueue.FailedMessage : null,
                    job.ProgressStep ?? ScanSteps.Starting, job.ProgressMessage ?? "").WriteAsync(output);
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }
}
