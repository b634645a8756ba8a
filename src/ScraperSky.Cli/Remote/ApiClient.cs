using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ScraperSky.Cli.Batches;

namespace ScraperSky.Cli.Remote;

/// The one client of the ScraperSky HTTP API the commands use with `--server`. A refusal becomes a
/// <see cref="CliException"/> carrying the server's ProblemDetails `detail`.
public sealed class ApiClient(Uri server, string? apiKey) : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private readonly HttpClient _http = Create(server, apiKey);

    public Uri Server => server;

    public async Task<string> SubmitScanAsync(string domain, int? maxPages, bool includeSitemaps, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("/api/v1/scrapersky",
            new Dictionary<string, object?> { ["base_url"] = domain, ["max_pages"] = maxPages, ["include_sitemaps"] = includeSitemaps },
            cancellationToken);
        using var json = await ReadJsonAsync(response, cancellationToken);
        return json.RootElement.GetProperty("job_id").GetString()!;
    }

    /// The job's status (`GET /api/v1/status/{id}`): <c>status</c>, <c>metadata</c>, <c>error</c>, <c>progress</c>.
    public async Task<JsonDocument> GetJobAsync(string jobId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"/api/v1/status/{Uri.EscapeDataString(jobId)}", cancellationToken);
        return await ReadJsonAsync(response, cancellationToken);
    }

    /// Polls a job until it ends.
    public async Task<JsonDocument> WaitForJobAsync(string jobId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = await GetJobAsync(jobId, cancellationToken);
            if (job.RootElement.GetProperty("status").GetString() is "completed" or "failed" or "cancelled")
            {
                return job;
            }

            job.Dispose();
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// Uploads a domain list as `POST /api/v1/batch/upload` does for a browser; returns the batch id and the column used.
    public async Task<(string BatchId, string Column, int Rows)> UploadBatchAsync(
        byte[] file, string fileName, string? column, int? maxPages, bool includeSitemaps, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        if (column is not null)
        {
            form.Add(new StringContent(column), "column");
        }

        if (maxPages is { } pages)
        {
            form.Add(new StringContent(pages.ToString(System.Globalization.CultureInfo.InvariantCulture)), "max_pages");
        }

        form.Add(new StringContent(includeSitemaps ? "true" : "false"), "include_sitemaps");
        using var response = await _http.PostAsync("/api/v1/batch/upload", form, cancellationToken);
        using var json = await ReadJsonAsync(response, cancellationToken);
        var root = json.RootElement;
        return (root.GetProperty("batch_id").GetString()!, root.GetProperty("column").GetString()!, root.GetProperty("rows").GetInt32());
    }

    public async Task<BatchSummary> GetBatchAsync(string batchId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"/api/v1/batch/status/{Uri.EscapeDataString(batchId)}?jobs_limit=1", cancellationToken);
        using var json = await ReadJsonAsync(response, cancellationToken);
        return BatchSummary.From(json.RootElement);
    }

    /// The batch's counters as its event stream sends them, until the batch ends; a dropped stream is resumed from
    /// the last event id.
    public async IAsyncEnumerable<BatchSummary> FollowBatchAsync(string batchId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? lastEventId = null;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/batch/{Uri.EscapeDataString(batchId)}/events");
            if (lastEventId is not null)
            {
                request.Headers.Add("Last-Event-ID", lastEventId);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
            {
                lastEventId = item.EventId ?? lastEventId;
                if (item.EventType is "counters" or "end")
                {
                    using var json = JsonDocument.Parse(item.Data);
                    var summary = BatchSummary.From(json.RootElement);
                    yield return summary;
                    if (item.EventType == "end")
                    {
                        yield break;
                    }
                }
            }
        }
    }

    /// Streams a list file (`?format=csv|xlsx|jsonl`) into <paramref name="output"/>.
    public async Task DownloadAsync(string pathAndQuery, Stream output, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await response.Content.CopyToAsync(output, cancellationToken);
    }

    /// Reads a JSON Lines list, one object per line.
    public async IAsyncEnumerable<JsonElement> ReadLinesAsync(string pathAndQuery, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                using var json = JsonDocument.Parse(line);
                yield return json.RootElement.Clone();
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static HttpClient Create(Uri server, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return http;
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await DetailAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException($"The server refused the request (401): {detail} Give a valid --api-key."),
            HttpStatusCode.TooManyRequests => new CliException($"The server is busy (429): {detail}", ExitCodes.SomeFailed),
            _ when status >= 500 => new CliException($"The server failed ({status}): {detail}", ExitCodes.SomeFailed),
            _ => new CliException($"The server refused the request ({status}): {detail}"),
        };
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } text)
            {
                return text.EndsWith('.') ? text : text + ".";
            }
        }
        catch (JsonException)
        {
            // Not ProblemDetails: say what the status says.
        }

        return $"{response.ReasonPhrase}.";
    }
}
