using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ScraperSky.Scanning.Fetching;

/// The addresses bound to this machine's network interfaces. A redirect to the server's own host name resolves to its
/// network card's address, which may well be public, and reaches whatever listens there; the connector refuses these
/// as it refuses loopback. The list is read again when it is older than the refresh interval (interfaces and DHCP
/// leases change under a long-running process); a failure to read it keeps the last list.
public sealed class LocalAddresses
{
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromSeconds(30);

    private readonly Func<IEnumerable<IPAddress>> _source;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refresh;
    private readonly Lock _lock = new();
    private HashSet<UInt128> _addresses = [];
    private long _readAt;
    private bool _read;

    public LocalAddresses(Func<IEnumerable<IPAddress>> source, TimeProvider time, TimeSpan refresh)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(time);
        _source = source;
        _time = time;
        _refresh = refresh;
    }

    /// The process-wide list, read from the operating system.
    public static LocalAddresses Shared { get; } = new(ReadInterfaces, TimeProvider.System, DefaultRefresh);

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Current().Contains(Key(address));
    }

    private HashSet<UInt128> Current()
    {
        lock (_lock)
        {
            if (!_read || _time.GetElapsedTime(_readAt) >= _refresh)
            {
                try
                {
                    _addresses = [.. _source().Select(Key)];
                }
                catch (NetworkInformationException)
                {
                    // Keep what we had.
                }

                _readAt = _time.GetTimestamp();
                _read = true;
            }

            return _addresses;
        }
    }

    // IPv4 and IPv6 in one set: an IPv4 address as its mapped IPv6 form; the scope id of link-local addresses left out.
    private static UInt128 Key(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork
        ? (UInt128)0xFFFF_0000_0000 | AddressGuard.ToUInt32(address)
        : AddressGuard.ToUInt128(address);

    private static IEnumerable<IPAddress> ReadInterfaces() =>
        [.. NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)];
}
