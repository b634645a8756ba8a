using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ScraperSky.Testing.Fleet;

/// A loopback listener that only counts the connections made to it (and closes them at once): put its URL where
/// nothing should ever connect (a certificate's AIA field, a robots.txt sitemap on another port ...) and assert that
/// <see cref="Connections"/> stays zero.
public sealed class ConnectionCanary : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _connections;

    public ConnectionCanary()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    /// `http://127.0.0.1:<port><path>`.
    public Uri Url(string path = "/") => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}{path}");

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                Interlocked.Increment(ref _connections);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }
}
