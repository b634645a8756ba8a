using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScraperSky.Cli.Output;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Spreadsheets;
using ScraperSky.Server.Batches;
using ScraperSky.Server.Hosting;

namespace ScraperSky.Cli.Batches;

/// Runs a batch on the local database with the server's worker pool hosted in this process, shows its progress and
/// writes its results. Ctrl+C stops the workers (running scans are released, back to pending) and writes nothing;
/// `batch resume` picks the batch up again, and only what is not yet done is scanned.
public static class LocalBatch
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<int> RunAsync(
        CliServices services, int? concurrency, Func<IServiceProvider, Task<Guid>> batch, ResultFile results, TextWriter error,
        CancellationToken cancellationToken)
    {
        using var host = await services.CreateWorkerHostAsync(concurrency, cancellationToken);
        Guid batchId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            batchId = await batch(scope.ServiceProvider);
        }

        var publicId = PublicIds.Format(BatchJob.PublicPrefix, batchId);
        if (!StartupBanner.ScannerOptimized)
        {
            await error.WriteLineAsync($"build: {StartupBanner.UnoptimizedBuild}");
        }

        await host.StartAsync(CancellationToken.None);
        var interrupted = false;
        try
        {
            await BatchProgressView.FollowAsync(error, PollAsync(host.Services, batchId, cancellationToken), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        finally
        {
            // Running scans are stopped and their jobs released, so a resume (or a server) takes them at once.
            await host.StopAsync(CancellationToken.None);
        }

        var summary = await CountersAsync(host.Services, batchId, CancellationToken.None);
        if (interrupted)
        {
            await error.WriteLineAsync($"Stopped: {summary.Ended} of {summary.Total} domains done, the rest wait in the local database.");
            await error.WriteLineAsync($"Resume with: scrapersky batch resume {publicId}");
            return ExitCodes.Interrupted;
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScraperSkyDbContext>();
            var row = await db.BatchJobs.AsNoTracking().SingleAsync(b => b.Id == batchId, cancellationToken);
            var columns = BatchEndpoints.ResultColumnsOf(row);
            await results.WriteAsync(
                (stream, token) => TableWriter.WriteAsync(stream, results.Format, columns, BatchEndpoints.ResultRowsOf(db, batchId), token),
                cancellationToken);
        }

        return await ReportAsync(error, summary, results);
    }

    /// The last lines of a finished batch, and its exit code: 1 when any domain failed or was cancelled.
    public static async Task<int> ReportAsync(TextWriter error, BatchSummary summary, ResultFile results)
    {
        await error.WriteLineAsync(
            $"Batch {summary.BatchId}: {summary.Completed} completed, {summary.Failed} failed{(summary.Cancelled > 0 ? $", {summary.Cancelled} cancelled" : "")} of {summary.Total}.");
        if (results.Path is not null)
        {
            await error.WriteLineAsync($"Results: {results.Path}");
        }

        return summary.Failed + summary.Cancelled > 0 ? ExitCodes.SomeFailed : ExitCodes.Success;
    }

    /// A batch of the local database, by its public id or UUID.
    public static async Task<Guid> FindAsync(IServiceProvider provider, string batchId, CancellationToken cancellationToken)
    {
        if (PublicIds.TryParse(batchId, BatchJob.PublicPrefix, out var id)
            && await provider.GetRequiredService<ScraperSkyDbContext>().BatchJobs.AnyAsync(b => b.Id == id, cancellationToken))
        {
            return id.Value;
        }

        throw new CliException($"Batch {batchId} does not exist in the local database.");
    }

    public static async Task<BatchSummary> CountersAsync(IServiceProvider services, Guid batchId, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScraperSkyDbContext>();
        return BatchSummary.From((await BatchReads.CountersAsync(db, batchId, cancellationToken))!);
    }

    private static async IAsyncEnumerable<BatchSummary> PollAsync(
        IServiceProvider services, Guid batchId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var summary = await CountersAsync(services, batchId, cancellationToken);
            yield return summary;
            if (summary.HasEnded)
            {
                yield break;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
