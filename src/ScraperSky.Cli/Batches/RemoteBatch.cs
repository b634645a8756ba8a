using ScraperSky.Cli.Output;
using ScraperSky.Cli.Remote;

namespace ScraperSky.Cli.Batches;

/// A batch running on a server: its event stream drives the progress bar, then its results file is downloaded.
/// Ctrl+C only stops following; the batch goes on on the server.
public static class RemoteBatch
{
    public static async Task<int> FollowAsync(ApiClient client, string batchId, ResultFile results, TextWriter error, CancellationToken cancellationToken)
    {
        BatchSummary? last;
        try
        {
            last = await BatchProgressView.FollowAsync(error, client.FollowBatchAsync(batchId, cancellationToken), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Stopped following; the batch goes on on the server.");
            await error.WriteLineAsync($"Resume with: scrapersky batch resume {batchId} --server {client.Server}");
            return ExitCodes.Interrupted;
        }

        last ??= await client.GetBatchAsync(batchId, cancellationToken);
        await results.WriteAsync(
            (stream, token) => client.DownloadAsync($"/api/v1/batch/{Uri.EscapeDataString(batchId)}/results?format={results.FormatName}", stream, token),
            cancellationToken);
        return await LocalBatch.ReportAsync(error, last, results);
    }
}
