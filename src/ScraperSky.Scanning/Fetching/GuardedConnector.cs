using System.Net;
using System.Net.Sockets;

namespace ScraperSky.Scanning.Fetching;

/// The SocketsHttpHandler ConnectCallback. Checking here, rather than on the URL, covers every way an address reaches
/// a socket: the first request, each redirect, and whatever DNS answers (a public name may resolve to 10.0.0.1).
/// TLS SNI and the Host header still carry the original name; only the socket's destination changes. Besides the
/// registries' special-purpose ranges, the addresses of this machine's own interfaces are refused
/// (<see cref="LocalAddresses"/>).
public sealed class GuardedConnector(HostMap hostMap, LocalAddresses? localAddresses = null)
{
    private readonly LocalAddresses _local = localAddresses ?? LocalAddresses.Shared;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;

        // The pool a connection is made for serves one scheme, so its first request tells whether TLS will follow.
        var https = context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps;
        if (hostMap.TryRoute(host, https, out var routed))
        {
            return await ConnectToAsync([routed], cancellationToken);
        }

        IPAddress[] candidates;
        if (AddressGuard.TryParseNumericHost(host, out var literal))
        {
            candidates = [literal];
        }
        else
        {
            try
            {
                candidates = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new HostLookupException(host, ex);
            }
        }

        var allowed = new List<IPEndPoint>(candidates.Length);
        AddressRefusedException? refused = null;
        foreach (var address in candidates)
        {
            var reason = AddressGuard.RefusalReason(address, _local);
            if (reason is null)
            {
                allowed.Add(new IPEndPoint(address, port));
            }
            else
            {
                refused ??= new AddressRefusedException(address, reason);
            }
        }

        if (allowed.Count == 0)
        {
            throw (IOException?)refused ?? new HostLookupException(host, new SocketException((int)SocketError.HostNotFound));
        }

        return await ConnectToAsync(allowed, cancellationToken);
    }

    private static async ValueTask<Stream> ConnectToAsync(IReadOnlyList<IPEndPoint> endpoints, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var endpoint in endpoints)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}

/// A DNS failure, kept apart so the fetcher can tell "no such name" (permanent) from "try again" (transient).
public sealed class HostLookupException(string host, SocketException inner)
    : IOException($"Could not resolve {host}", inner)
{
    public string Host { get; } = host;
    public SocketError Error { get; } = inner.SocketErrorCode;
}
