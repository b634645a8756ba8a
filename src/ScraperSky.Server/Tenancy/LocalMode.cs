using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ScraperSky.Server.Tenancy;

/// Local single-user mode: no credentials needed, because nobody but this machine can reach the server. It is judged
/// per request: `Auth:RequireApiKey` is not true, every address the server listens on is loopback, no proxy forwarded
/// the request (a reverse proxy on this machine would make every internet client look local), and the request names
/// this machine as its host (a page whose DNS name was rebound to 127.0.0.1 names its own).
public sealed class LocalMode(IServer server, IOptions<AuthOptions> options)
{
    public const string RebindingDetail =
        "The request's Host is not localhost, 127.0.0.1 or [::1]. A server in local mode answers only requests " +
        "addressed to this machine by one of those names, so that a web page cannot reach it by rebinding its own " +
        "DNS name (DNS rebinding). Use one of those names, or set Auth:RequireApiKey and send an API key.";

    // Headers a reverse proxy adds; their presence means the client is somewhere else, whatever they say.
    private static readonly string[] ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP"];

    // 0 not known yet, 1 loopback only, 2 not: an int, so that a request on another thread never reads half of it.
    private int _loopbackOnly;

    /// Whether this request is the local user's and may go without a key. The one answer to that question: the
    /// authentication handler and the rate limits both ask it.
    public bool IsActiveFor(HttpContext context) => Judge(context.Request) == LocalRequest.Local;

    /// Like <see cref="IsActiveFor"/>, telling apart a request refused as DNS rebinding.
    public LocalRequest Judge(HttpRequest request)
    {
        if (options.Value.RequireApiKey || !ListensOnlyOnLoopback() || IsForwarded(request))
        {
            return LocalRequest.NotLocal;
        }

        return IsLoopbackHost(request.Host) ? LocalRequest.Local : LocalRequest.Rebound;
    }

    /// Whether this server listens only on loopback. Known once the server has started and reports its addresses, which
    /// do not change after: remembered then, rather than enumerated (under Kestrel's lock) and parsed twice a request.
    private bool ListensOnlyOnLoopback()
    {
        if (Volatile.Read(ref _loopbackOnly) is var known and not 0)
        {
            return known == 1;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return false;
        }

        var answer = ListensOnlyOnLoopback(addresses);
        Volatile.Write(ref _loopbackOnly, answer ? 1 : 2);
        return answer;
    }

    /// True when there is at least one address and each is loopback. A server that reports no addresses says
    /// nothing about where it can be reached, so it is not trusted as local.
    public static bool ListensOnlyOnLoopback(IEnumerable<string> addresses)
    {
        var any = false;
        foreach (var address in addresses)
        {
            if (!IsLoopback(address))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    public static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            // Wildcards such as http://*:80 and http://+:80 do not parse as URIs and listen everywhere.
            return false;
        }

        return IsLoopbackName(uri.Host);
    }

    /// `localhost`, `127.0.0.1`, `[::1]` (or any loopback address), with any port.
    public static bool IsLoopbackHost(HostString host) => host.HasValue && IsLoopbackName(host.Host);

    private static bool IsLoopbackName(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static bool IsForwarded(HttpRequest request)
    {
        foreach (var header in ForwardingHeaders)
        {
            if (request.Headers.ContainsKey(header))
            {
                return true;
            }
        }

        return false;
    }
}
