using System.Diagnostics;
using System.Globalization;

namespace ScraperSky.Benchmarks.Load;

/// A short, bounded burst of `GET /api/v1/status/{id}` from a few keep-alive clients against the server while a batch
/// runs; returns successful requests per second.
internal static class StatusHammer
{
    public const int Clients = 16;

    public static Task<double> RunAsync(int port, string jobId, TimeSpan duration, CancellationToken ct) =>
        RunPathAsync(port, $"/api/v1/status/{jobId}", duration, ct);

    /// The same burst against any GET path (api-run hammers the batch status with it).
    public static async Task<double> RunPathAsync(int port, string pathAndQuery, TimeSpan duration, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Clients, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };
        var path = new Uri(pathAndQuery, UriKind.Relative);
        var clock = Stopwatch.StartNew();
        var ok = 0L;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref ok);
                }
            }
        }));
        return ok / clock.Elapsed.TotalSeconds;
    }
}
