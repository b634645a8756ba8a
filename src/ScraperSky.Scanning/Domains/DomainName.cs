using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace ScraperSky.Scanning.Domains;

/// Normalises what a user typed ("https://www.Example.com:8080/path?q") to the host name a scan is keyed on
/// ("example.com"): lower case, no `www.`, IDN as punycode. Only public-looking DNS names pass; IP literals,
/// single-label names and `localhost` do not.
public static class DomainName
{
    private const int MaxInputLength = 2048;
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? domain)
    {
        domain = null;
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength)
        {
            return false;
        }

        var text = input.Trim();
        if (text.Any(char.IsWhiteSpace) || text.Any(char.IsControl))
        {
            return false;
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = text.StartsWith("//", StringComparison.Ordinal) ? "http:" + text : "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || IPAddress.TryParse(uri.Host, out _))
        {
            return false;
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        try
        {
            // Round-trip through IdnMapping with STD3 rules to reject labels that Uri tolerates (underscores, etc.).
            host = Idn.GetAscii(Idn.GetUnicode(host)).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        if (!IsValidHostName(host))
        {
            return false;
        }

        domain = host;
        return true;
    }

    public static string Normalize(string input) =>
        TryNormalize(input, out var domain) ? domain : throw new FormatException($"Invalid domain format: {input}");

    private static bool IsValidHostName(string host)
    {
        if (host.Length is 0 or > 253)
        {
            return false;
        }

        var labels = host.Split('.');
        if (labels.Length < 2)
        {
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }
        }

        var tld = labels[^1];
        // A top-level domain is alphabetic, or an IDN TLD in punycode; an all-numeric last label means an IP-ish name.
        return tld.StartsWith("xn--", StringComparison.Ordinal) || (tld.Length >= 2 && tld.All(char.IsAsciiLetter));
    }
}
