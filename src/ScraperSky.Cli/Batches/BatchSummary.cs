using System.Text.Json;
using ScraperSky.Server.Batches;

namespace ScraperSky.Cli.Batches;

/// A batch's counters as the command line shows them, read from the local database or from the API's JSON (the
/// batch status and the event stream's `counters` use the same field names).
public sealed record BatchSummary(
    string BatchId, string Status, int Total, int Completed, int Failed, int Cancelled, int Pending, int Running, string? FileName)
{
    public int Ended => Completed + Failed + Cancelled;

    public bool HasEnded => Ended >= Total;

    public static BatchSummary From(BatchCounters counters) => new(
        counters.BatchId, counters.Status, counters.TotalJobs, counters.CompletedJobs, counters.FailedJobs,
        counters.CancelledJobs, counters.PendingJobs, counters.RunningJobs, counters.FileName);

    public static BatchSummary From(JsonElement json) => new(
        json.GetProperty("batch_id").GetString() ?? "",
        json.GetProperty("status").GetString() ?? "",
        json.GetProperty("total_jobs").GetInt32(),
        json.GetProperty("completed_jobs").GetInt32(),
        json.GetProperty("failed_jobs").GetInt32(),
        json.GetProperty("cancelled_jobs").GetInt32(),
        json.GetProperty("pending_jobs").GetInt32(),
        json.GetProperty("running_jobs").GetInt32(),
        json.TryGetProperty("file_name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null);

    public async Task WriteAsync(TextWriter output)
    {
        await output.WriteLineAsync($"batch:     {BatchId}");
        await output.WriteLineAsync($"status:    {Status}");
        if (FileName is not null)
        {
            await output.WriteLineAsync($"file:      {FileName}");
        }

        await output.WriteLineAsync($"total:     {Total}");
        await output.WriteLineAsync($"completed: {Completed}");
        await output.WriteLineAsync($"failed:    {Failed}");
        await output.WriteLineAsync($"cancelled: {Cancelled}");
        await output.WriteLineAsync($"pending:   {Pending}");
        await output.WriteLineAsync($"running:   {Running}");
    }
}
