using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ScraperSky.Benchmarks.Load;

/// A short, bounded burst of `GET /api/v1/status/{id}` from a few keep-alive clients against the server while a batch
/// runs; returns successful requests per second and the latencies the clients saw.
///
/// Each client is a thread of its own with one blocking socket, as wrk or bombardier would do it: it writes the same
/// prepared request's bytes, reads the answer's head up to its blank line, checks the status line, and reads the body by
/// its `Content-Length` or its chunks, without making objects of the headers. Through `HttpClient` the clients cost
/// about as much CPU per request as the server and, on this 2-core machine, waited behind the fleet's work on the bench's
/// thread pool: the figure measured the load generator as much as the server.
internal static class StatusHammer
{
    public const int Clients = 16;

    /// A head longer than this is not an answer of this server.
    private const int BufferBytes = 64 * 1024;

    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(30);

    public static Task<StatusBurst> RunAsync(int port, string jobId, TimeSpan duration, CancellationToken ct) =>
        RunPathAsync(port, $"/api/v1/status/{jobId}", duration, ct);

    /// The same burst against any GET path (api-run hammers the batch status with it).
    public static async Task<StatusBurst> RunPathAsync(int port, string pathAndQuery, TimeSpan duration, CancellationToken ct)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        // The headers HttpClient sent for this request, and the Accept of a client that wants JSON.
        var request = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"GET {pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\r\n"));
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, Clients).Select(_ => new Client(endpoint, request, clock, duration, ct)).ToList();
        var threads = clients.Select(c => new Thread(c.Run) { IsBackground = true, Name = "status hammer" }).ToList();
        await using (ct.Register(() => clients.ForEach(c => c.Abort())))
        {
            threads.ForEach(t => t.Start());
            await Task.Run(() => threads.ForEach(t => t.Join()), CancellationToken.None);
        }

        ct.ThrowIfCancellationRequested();
        if (clients.Select(c => c.Error).FirstOrDefault(e => e is not null) is { } error)
        {
            throw new InvalidOperationException($"GET {pathAndQuery}: {error.Message}", error);
        }

        var ok = clients.Sum(c => c.Ok);
        return new StatusBurst(ok / clock.Elapsed.TotalSeconds, [.. clients.SelectMany(c => c.Times).Order()]);
    }

    /// One keep-alive connection sending request after request until the burst's time is up; reconnects when the
    /// server closes it.
    private sealed class Client(IPEndPoint endpoint, byte[] request, Stopwatch clock, TimeSpan duration, CancellationToken ct)
    {
        private readonly byte[] _buffer = new byte[BufferBytes];
        private Socket? _socket;

        // The bytes received and not yet consumed: _buffer[_start.._end].
        private int _start;
        private int _end;

        /// Each request's time in Stopwatch ticks: kept per client so that recording one takes no lock.
        public List<long> Times { get; } = new(4096);

        public long Ok { get; private set; }

        public Exception? Error { get; private set; }

        public void Run()
        {
            try
            {
                while (clock.Elapsed < duration && !ct.IsCancellationRequested)
                {
                    _socket ??= Connect();
                    var sent = Stopwatch.GetTimestamp();
                    _socket.Send(request);
                    var (ok, keepAlive) = ReadAnswer();
                    Times.Add(Stopwatch.GetTimestamp() - sent);
                    if (ok)
                    {
                        Ok++;
                    }

                    if (!keepAlive)
                    {
                        Close();
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or FormatException)
            {
                if (!ct.IsCancellationRequested)
                {
                    Error = e;
                }
            }
            finally
            {
                Close();
            }
        }

        /// Ends a blocked receive when the run is cancelled.
        public void Abort() => _socket?.Dispose();

        private Socket Connect()
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            {
                NoDelay = true,
                ReceiveTimeout = (int)ReceiveTimeout.TotalMilliseconds,
            };
            socket.Connect(endpoint);
            _start = _end = 0;
            return socket;
        }

        private void Close()
        {
            _socket?.Dispose();
            _socket = null;
        }

        /// Reads one whole answer: whether its status was 200, and whether the connection stays open after it.
        private (bool Ok, bool KeepAlive) ReadAnswer()
        {
            var headEnd = Find("\r\n\r\n"u8);
            var head = _buffer.AsSpan(_start, headEnd - _start);
            var ok = head.StartsWith("HTTP/1.1 200 "u8);
            long? length = null;
            var chunked = false;
            var keepAlive = true;
            var rest = head[(head.IndexOf("\r\n"u8) + 2)..];
            while (rest.Length > 0)
            {
                var end = rest.IndexOf("\r\n"u8) is >= 0 and var e ? e : rest.Length;
                var line = rest[..end];
                rest = rest[Math.Min(rest.Length, end + 2)..];
                if (IsHeader(line, "Content-Length"u8, out var value))
                {
                    length = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                }
                else if (IsHeader(line, "Transfer-Encoding"u8, out value))
                {
                    chunked = value.EndsWith("chunked"u8);
                }
                else if (IsHeader(line, "Connection"u8, out value))
                {
                    keepAlive = !Ascii.EqualsIgnoreCase(value, "close"u8);
                }
            }

            _start = headEnd + 4;
            if (chunked)
            {
                ReadChunks();
            }
            else
            {
                Skip(length ?? throw new FormatException("An answer with neither Content-Length nor chunks."));
            }

            return (ok, keepAlive);
        }

        private void ReadChunks()
        {
            while (true)
            {
                var lineEnd = Find("\r\n"u8);
                var sizeText = _buffer.AsSpan(_start, lineEnd - _start);
                if (sizeText.IndexOf((byte)';') is >= 0 and var extension)
                {
                    sizeText = sizeText[..extension];
                }

                var size = long.Parse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                _start = lineEnd + 2;
                if (size == 0)
                {
                    // Trailers, if any, up to the blank line that ends the answer.
                    while (Find("\r\n"u8) is var trailerEnd && trailerEnd != _start)
                    {
                        _start = trailerEnd + 2;
                    }

                    _start += 2;
                    return;
                }

                Skip(size + 2);
            }
        }

        /// The index in the buffer where <paramref name="marker"/> next starts, receiving until it has come.
        private int Find(ReadOnlySpan<byte> marker)
        {
            var searched = _start;
            while (true)
            {
                var at = _buffer.AsSpan(searched, _end - searched).IndexOf(marker);
                if (at >= 0)
                {
                    return searched + at;
                }

                searched = Math.Max(_start, _end - marker.Length + 1);
                var before = _start;
                Receive();
                searched -= before - _start;
            }
        }

        /// Consumes <paramref name="count"/> bytes, receiving as many as needed.
        private void Skip(long count)
        {
            while (count > 0)
            {
                if (_start == _end)
                {
                    Receive();
                }

                var taken = (int)Math.Min(count, _end - _start);
                _start += taken;
                count -= taken;
            }
        }

        /// Receives more bytes after those not yet consumed, moving them to the buffer's start first.
        private void Receive()
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new FormatException($"An answer's head longer than {BufferBytes} bytes.");
            }

            var received = _socket!.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
            if (received == 0)
            {
                throw new IOException("The server closed the connection in the middle of an answer.");
            }

            _end += received;
        }

        /// Whether <paramref name="line"/> is the header <paramref name="name"/> (any case), and its value with the spaces
        /// around it trimmed.
        private static bool IsHeader(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
        {
            var matches = line.Length > name.Length && line[name.Length] == (byte)':' && Ascii.EqualsIgnoreCase(line[..name.Length], name);
            value = matches ? line[(name.Length + 1)..].Trim((byte)' ') : default;
            return matches;
        }
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
