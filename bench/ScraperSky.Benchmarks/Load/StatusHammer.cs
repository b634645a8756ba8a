using System.Diagnostics;
using System.Globalization;

namespace ScraperSky.Benchmarks.Load;

/// A short, bounded burst of `GET /api/v1/status/{id}` from a few keep-alive clients against the server while a batch
/// runs; returns successful requests per second and the latencies the clients saw.
internal static class StatusHammer
{
    public const int Clients = 16;

    public static Task<StatusBurst> RunAsync(int port, string jobId, TimeSpan duration, CancellationToken ct) =>
        RunPathAsync(port, $"/api/v1/status/{jobId}", duration, ct);

    /// The same burst against any GET path (api-run hammers the batch status with it).
    public static async Task<StatusBurst> RunPathAsync(int port, string pathAndQuery, TimeSpan duration, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Clients, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };
        var path = new Uri(pathAndQuery, UriKind.Relative);
        var clock = Stopwatch.StartNew();
        var ok = 0L;
        // Each client's request times, in Stopwatch ticks: kept per client so that recording one takes no lock.
        var latencies = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            var times = new List<long>(4096);
            while (clock.Elapsed < duration)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
                times.Add(Stopwatch.GetTimestamp() - sent);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref ok);
                }
            }

            return times;
        }));
        return new StatusBurst(ok / clock.Elapsed.TotalSeconds, [.. latencies.SelectMany(t => t).Order()]);
    }
}

/// What a burst measured: successful requests per second, and every request's time from sending it to having read the
/// whole answer, in Stopwatch ticks, ascending.
internal sealed record StatusBurst(double PerSecond, long[] SortedTicks)
{
    /// The latency below which <paramref name="fraction"/> of the requests finished, in milliseconds.
    public double Percentile(double fraction) => SortedTicks.Length == 0
        ? double.NaN
        : SortedTicks[Math.Min(SortedTicks.Length - 1, (int)(fraction * SortedTicks.Length))] * 1000.0 / Stopwatch.Frequency;

    /// `p50 0.61, p90 1.20, p99 4.10, max 9.80 ms`.
    public string LatencyLine() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Percentile(0.5):0.00}, p90 {Percentile(0.9):0.00}, p99 {Percentile(0.99):0.00}, max {Percentile(1):0.00} ms");
}
