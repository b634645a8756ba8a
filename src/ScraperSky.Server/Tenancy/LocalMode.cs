using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ScraperSky.Server.Tenancy;

/// Local single-user mode: no credentials needed, because nobody but this machine can reach the server. It applies
/// when every address the server listens on is loopback and `Auth:RequireApiKey` is not true.
public sealed class LocalMode(IServer server, IOptions<AuthOptions> options)
{
    public bool IsActive => !options.Value.RequireApiKey && ListensOnlyOnLoopback(ListeningAddresses());

    /// An in-process test server has no addresses and no network reach, so it counts as loopback.
    public static bool ListensOnlyOnLoopback(IEnumerable<string> addresses) => addresses.All(IsLoopback);

    public static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            // Wildcards such as http://*:80 and http://+:80 do not parse as URIs and listen everywhere.
            return false;
        }

        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private IEnumerable<string> ListeningAddresses() =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
}
