using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Server.Webhooks;

/// Checks a webhook URL when it is created with the rule scans follow (<see cref="AddressGuard"/>, with the
/// `Scanning:HostMap` exemption): no private, loopback or link-local address, in any spelling or through DNS.
/// Deliveries go through the guarded connector as well, so a name that later resolves elsewhere is still refused.
public sealed class WebhookUrlGuard(IOptions<ScanningOptions> options)
{
    private readonly HostMap _hostMap = new(options.Value.HostMap);

    /// Why the URL cannot be a webhook, or null when it can.
    public async Task<string?> RefusalAsync(string? url, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2048
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "Field 'url' must be an absolute http or https URL of at most 2048 characters.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "Field 'url' must not carry a user name or password.";
        }

        var host = uri.IdnHost.TrimEnd('.');
        if (_hostMap.TryRoute(host, uri.Scheme == Uri.UriSchemeHttps, out _))
        {
            return null;
        }

        IPAddress[] addresses;
        if (AddressGuard.TryParseNumericHost(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException)
            {
                return $"Field 'url': the host {host} could not be resolved.";
            }
        }

        foreach (var address in addresses)
        {
            if (AddressGuard.RefusalReason(address, LocalAddresses.Shared) is { } reason)
            {
                return $"Field 'url': {host} is {address} ({reason}); webhooks are sent only to public addresses.";
            }
        }

        return addresses.Length == 0 ? $"Field 'url': the host {host} has no address." : null;
    }
}
