using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace ScraperSky.Benchmarks.Load;

/// A TCP relay on loopback that delivers every chunk, each way, a fixed time after it arrived, in order: the database as
/// if on another machine (`--database-latency-ms`, half of it each way), which loopback's qdiscs cannot give in a
/// container. Chunks are not held up behind each other's delay, so the link's throughput stays what loopback's is.
internal sealed class DelayingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly TimeSpan _oneWay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public DelayingRelay(IPEndPoint target, TimeSpan roundTrip)
    {
        _target = target;
        _oneWay = roundTrip / 2;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    private long _chunks;
    private long _heldTicks;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// How long a chunk was held on average, each way, from its arrival to its sending (what the timers gave).
    public TimeSpan MeanOneWay => _chunks == 0 ? TimeSpan.Zero
        : TimeSpan.FromSeconds(Interlocked.Read(ref _heldTicks) / (double)Interlocked.Read(ref _chunks) / Stopwatch.Frequency);

    public long Chunks => Interlocked.Read(ref _chunks);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (client)
        {
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                await Task.WhenAny(PumpAsync(client, server, done.Token), PumpAsync(server, client, done.Token));
                await done.CancelAsync();
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A side closed, or the relay stops.
            }
        }
    }

    // One direction: a reader stamps each chunk with its arrival, a writer sends it once its delay has passed.
    private async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var chunks = Channel.CreateUnbounded<(byte[] Data, long Arrived)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writing = WriteAsync(chunks.Reader, to, cancellationToken);
        try
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
            {
                chunks.Writer.TryWrite((buffer[..read], Stopwatch.GetTimestamp()));
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            chunks.Writer.TryComplete();
        }

        await writing;
    }

    private async Task WriteAsync(ChannelReader<(byte[] Data, long Arrived)> chunks, Socket to, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (data, arrived) in chunks.ReadAllAsync(cancellationToken))
            {
                // Timers count whole milliseconds: a chunk waits its delay, rounded up, or a little more.
                var wait = _oneWay - Stopwatch.GetElapsedTime(arrived);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cancellationToken);
                }

                Interlocked.Add(ref _heldTicks, Stopwatch.GetTimestamp() - arrived);
                Interlocked.Increment(ref _chunks);
                await to.SendAsync(data, SocketFlags.None, cancellationToken);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
