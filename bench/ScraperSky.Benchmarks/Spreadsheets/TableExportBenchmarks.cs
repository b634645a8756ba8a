using System.Diagnostics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Benchmarks.Spreadsheets;

/// An export of 100,000 domains with 25 columns (text, numbers, booleans, dates, lists), as the domain and batch
/// result exports will write them, to a forward-only stream that refuses synchronous writes like a response body.
/// Allocated bytes come from the memory diagnoser; the process's peak working set is printed at cleanup, and stays
/// near the runtime's own size if the writer streams.
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TableExportBenchmarks
{
    private const int Rows = 100_000;
    private static readonly DateTime Scanned = new(2025, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    private static readonly TableColumn<int>[] Columns =
    [
        new("row", i => i + 1),
        new("input", i => $"https://www.site{i}.example/"),
        new("domain", i => $"site{i}.example"),
        new("status", _ => "completed"),
        new("error", i => i % 50 == 0 ? "Connection refused" : null),
        new("title", i => $"Site {i} — Handcrafted furniture and interior design since 1987"),
        new("description", i => $"We build tables, chairs and cabinets for homes and offices. Visit showroom {i}."),
        new("language", _ => "en"),
        new("final_url", i => $"https://site{i}.example/"),
        new("emails", i => new[] { $"info@site{i}.example", $"sales@site{i}.example" }),
        new("phones", i => new[] { $"+4930{i:D7}" }),
        new("facebook", i => $"https://facebook.com/site{i}"),
        new("linkedin", i => $"https://linkedin.com/company/site{i}"),
        new("instagram", _ => null),
        new("technologies", _ => new[] { "WordPress", "Elementor", "Google Analytics", "jQuery" }),
        new("categories", _ => new[] { "CMS", "Page builders", "Analytics" }),
        new("wordpress", i => i % 3 == 0),
        new("wordpress_version", i => i % 3 == 0 ? "6.4.2" : null),
        new("sitemap_url_count", i => (long)(i % 997) * 13),
        new("sitemap_files", i => i % 7),
        new("http_status", _ => 200),
        new("fetch_ms", i => 120.5 + (i % 400)),
        new("first_scan_at", _ => Scanned),
        new("last_scan_at", i => Scanned.AddMinutes(i)),
        new("scan_count", i => 1 + (i % 4)),
    ];

    [Params(TableFormat.Csv, TableFormat.Xlsx)]
    public TableFormat Format { get; set; }

    [Benchmark]
    public async Task<long> Export()
    {
        await using var output = new ForwardOnlyNullStream();
        await TableWriter.WriteAsync(output, Format, Columns, Generate(), CancellationToken.None);
        return output.BytesWritten;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"// {Format}: peak working set {process.PeakWorkingSet64 / (1024 * 1024)} MiB");
    }

    private static async IAsyncEnumerable<int> Generate([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < Rows; i++)
        {
            // A database reader completes most reads synchronously and now and then waits for the next batch.
            if (i % 1_000 == 0)
            {
                await Task.Yield();
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
    }

    private sealed class ForwardOnlyNullStream : Stream
    {
        public long BytesWritten { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            BytesWritten += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
