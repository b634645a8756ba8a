using System.Net;

namespace ScraperSky.Scanning.Fetching;

/// `Scanning:HostMap`: connections to a host equal to a suffix or ending in `.<suffix>` go to a fixed endpoint, like
/// curl's --connect-to. The longest matching suffix wins. A value is `<ip>:<port>` for every connection, optionally
/// followed by `https=<ip>:<port>` for the connections made for https URLs (a TLS listener beside a plain one).
/// Routed hosts are the only exception to the address guard.
public sealed class HostMap
{
    public const string ValueFormat = "<ip>:<port>, optionally followed by https=<ip>:<port>";

    private const string HttpsPrefix = "https=";

    private readonly (string Suffix, HostRoute Route)[] _routes;

    public HostMap(IReadOnlyDictionary<string, string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var routes = new List<(string, HostRoute)>();
        foreach (var (suffix, value) in entries)
        {
            if (!TryParseRoute(value, out var route))
            {
                throw new FormatException($"Scanning:HostMap:{suffix} must be {ValueFormat}, not '{value}'.");
            }

            routes.Add((suffix.Trim().Trim('.').ToLowerInvariant(), route));
        }

        _routes = [.. routes.OrderByDescending(r => r.Item1.Length)];
    }

    public bool IsEmpty => _routes.Length == 0;

    public static bool TryParseRoute(string? value, out HostRoute route)
    {
        route = default;
        var parts = (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length is 0 or > 2 || !TryParseEndpoint(parts[0], out var endpoint))
        {
            return false;
        }

        IPEndPoint? https = null;
        if (parts.Length == 2)
        {
            if (!parts[1].StartsWith(HttpsPrefix, StringComparison.OrdinalIgnoreCase)
                || !TryParseEndpoint(parts[1][HttpsPrefix.Length..], out https))
            {
                return false;
            }
        }

        route = new HostRoute(endpoint, https);
        return true;
    }

    /// Finds where a connection to <paramref name="host"/> goes; <paramref name="https"/> says whether it is made for
    /// an https URL, which picks the route's https endpoint when it has one.
    public bool TryRoute(string host, bool https, out IPEndPoint endpoint)
    {
        var name = host.TrimEnd('.');
        foreach (var (suffix, route) in _routes)
        {
            if (name.Equals(suffix, StringComparison.OrdinalIgnoreCase)
                || (name.Length > suffix.Length
                    && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                    && name[name.Length - suffix.Length - 1] == '.'))
            {
                endpoint = https && route.HttpsEndpoint is { } tls ? tls : route.Endpoint;
                return true;
            }
        }

        endpoint = null!;
        return false;
    }

    private static bool TryParseEndpoint(string value, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (!IPEndPoint.TryParse(value, out var parsed) || parsed.Port == 0)
        {
            return false;
        }

        endpoint = parsed;
        return true;
    }
}

/// One `Scanning:HostMap` value: where connections go, and where those for https URLs go when that differs.
public readonly record struct HostRoute(IPEndPoint Endpoint, IPEndPoint? HttpsEndpoint);
