using System.Net;

namespace ScraperSky.Scanning.Fetching;

/// `Scanning:HostMap`: connections to a host equal to a suffix or ending in `.<suffix>` go to a fixed endpoint, like
/// curl's --connect-to. The longest matching suffix wins. Routed hosts are the only exception to the address guard.
public sealed class HostMap
{
    private readonly (string Suffix, IPEndPoint Endpoint)[] _routes;

    public HostMap(IReadOnlyDictionary<string, string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var routes = new List<(string, IPEndPoint)>();
        foreach (var (suffix, value) in entries)
        {
            if (!TryParseEndpoint(value, out var endpoint))
            {
                throw new FormatException($"Scanning:HostMap:{suffix} must be <ip>:<port>, not '{value}'.");
            }

            routes.Add((suffix.Trim().Trim('.').ToLowerInvariant(), endpoint));
        }

        _routes = [.. routes.OrderByDescending(r => r.Item1.Length)];
    }

    public bool IsEmpty => _routes.Length == 0;

    public static bool TryParseEndpoint(string? value, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (string.IsNullOrWhiteSpace(value) || !IPEndPoint.TryParse(value.Trim(), out var parsed) || parsed.Port == 0)
        {
            return false;
        }

        endpoint = parsed;
        return true;
    }

    public bool TryRoute(string host, out IPEndPoint endpoint)
    {
        var name = host.TrimEnd('.');
        foreach (var (suffix, target) in _routes)
        {
            if (name.Equals(suffix, StringComparison.OrdinalIgnoreCase)
                || (name.Length > suffix.Length
                    && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                    && name[name.Length - suffix.Length - 1] == '.'))
            {
                endpoint = target;
                return true;
            }
        }

        endpoint = null!;
        return false;
    }
}
