using System.Net;

namespace ScraperSky.Scanning.Fetching;

/// Thrown from the connect step when the address guard refuses every address of a host. It travels inside the
/// HttpRequestException that SocketsHttpHandler wraps it in, and the fetcher turns it into a permanent ScanException.
public sealed class AddressRefusedException(IPAddress address, string reason)
    : IOException($"Refused to connect to {address}: {reason}")
{
    public IPAddress Address { get; } = address;
    public string Reason { get; } = reason;
}
