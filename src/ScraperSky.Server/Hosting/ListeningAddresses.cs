using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;

namespace ScraperSky.Server.Hosting;

/// Where the server listens. `http://localhost:5080` when nothing says otherwise, set as the lowest-precedence
/// configuration source so that `ASPNETCORE_URLS`, `URLS`, `--urls`, a `Urls` key in appsettings.json and
/// `ASPNETCORE_HTTP_PORTS` all win, as in any ASP.NET Core app.
public static class ListeningAddresses
{
    public const string Default = "http://localhost:5080";

    public static WebApplicationBuilder UseDefaultListeningAddress(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration[WebHostDefaults.ServerUrlsKey] is null
            && configuration[WebHostDefaults.HttpPortsKey] is null
            && configuration[WebHostDefaults.HttpsPortsKey] is null)
        {
            var defaults = new MemoryConfigurationSource
            {
                InitialData = [new KeyValuePair<string, string?>(WebHostDefaults.ServerUrlsKey, Default)],
            };
            ((IConfigurationBuilder)configuration).Sources.Insert(0, defaults);
        }

        return builder;
    }

    /// The first configured address whose port another process already holds, or null. Checked before anything
    /// starts, so that a second copy of the server ends with one line rather than with a worker running against the
    /// database and Kestrel's stack trace. (Kestrel's own bind failure, should another process take the port between
    /// this check and the start, still ends the server; see <see cref="IsAddressInUse"/>.)
    public static string? FindAddressInUse(WebApplication app)
    {
        // Only Kestrel binds what the configuration names; the in-process test server binds nothing.
        var server = app.Services.GetRequiredService<IServer>();
        return server.GetType().Assembly == typeof(KestrelServerOptions).Assembly
            ? FindAddressInUse(Configured(app.Configuration))
            : null;
    }

    public static string? FindAddressInUse(IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            foreach (var endpoint in EndpointsOf(address))
            {
                if (!CanBind(endpoint))
                {
                    return address;
                }
            }
        }

        return null;
    }

    /// The addresses the configuration asks for (`urls`, else `http_ports`/`https_ports` on every interface), before
    /// the server starts and reports them.
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return
        [
            .. Ports(configuration[WebHostDefaults.HttpPortsKey]).Select(p => $"http://*:{p}"),
            .. Ports(configuration[WebHostDefaults.HttpsPortsKey]).Select(p => $"https://*:{p}"),
        ];

        static string[] Ports(string? value) => (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static bool IsAddressInUse(Exception exception) =>
        exception is AddressInUseException || exception.InnerException is AddressInUseException
        || exception is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse };

    public static string InUseMessage(string address) =>
        $"ScraperSky cannot start: {address} is already in use by another process. Stop it, or choose another " +
        "address with --urls or ASPNETCORE_URLS (e.g. --urls http://localhost:5081).";

    // The endpoints Kestrel would bind for an address: localhost is both loopbacks, a wildcard or other host name
    // every interface, an IP literal itself. Port 0 (any free port) can always be bound.
    private static IEnumerable<IPEndPoint> EndpointsOf(string address)
    {
        var (host, port) = Parse(address);
        if (port is null or 0)
        {
            yield break;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            yield return new IPEndPoint(IPAddress.Loopback, port.Value);
            if (Socket.OSSupportsIPv6)
            {
                yield return new IPEndPoint(IPAddress.IPv6Loopback, port.Value);
            }
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            yield return new IPEndPoint(ip, port.Value);
        }
        else
        {
            yield return new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, port.Value);
        }
    }

    private static (string Host, int? Port) Parse(string address)
    {
        // Wildcards (http://*:80, http://+:80) are not URIs; read them by hand.
        var rest = address.Contains("://", StringComparison.Ordinal) ? address[(address.IndexOf("://", StringComparison.Ordinal) + 3)..] : address;
        rest = rest.Split('/')[0];
        var colon = rest.LastIndexOf(':');
        if (colon < 0 || rest.EndsWith(']'))
        {
            return (rest, address.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80);
        }

        return int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (rest[..colon], port)
            : (rest, null);
    }

    private static bool CanBind(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            socket.Listen();
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
        catch (SocketException)
        {
            // Not this check's business (an address this machine does not have, no IPv6): Kestrel will say.
            return true;
        }
    }
}
