using System.Text.Json;

namespace ScraperSky.Cli.Batches;

/// One scan job as `status` shows it, from the local database or `GET /api/v1/status/{id}`.
public sealed record JobSummary(string JobId, string Domain, string Status, string? Error, string Step, string Message)
{
    public static JobSummary From(JsonElement json) => new(
        json.GetProperty("job_id").GetString() ?? "",
        json.TryGetProperty("domain", out var domain) ? domain.GetString() ?? "" : "",
        json.GetProperty("status").GetString() ?? "",
        json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null,
        json.GetProperty("progress").GetProperty("step").GetString() ?? "",
        json.GetProperty("progress").GetProperty("message").GetString() ?? "");

    public async Task WriteAsync(TextWriter output)
    {
        await output.WriteLineAsync($"job:       {JobId}");
        await output.WriteLineAsync($"domain:    {Domain}");
        await output.WriteLineAsync($"status:    {Status}");
        await output.WriteLineAsync($"progress:  {Step}{(Message.Length > 0 ? $" ({Message})" : "")}");
        if (Error is not null)
        {
            await output.WriteLineAsync($"error:     {Error}");
        }
    }
}
