using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ScraperSky.Scanning.Fetching;

/// Decides whether the scanner may open a connection to an address. A service that fetches whatever a user types must
/// not become a way into its own network, so everything that is not a public unicast address is refused: loopback,
/// private, link-local (cloud metadata lives at 169.254.169.254), CGNAT, multicast, reserved, and the IPv6 forms that
/// embed one of those IPv4 addresses (mapped, compatible, NAT64, 6to4).
public static class AddressGuard
{
    private static readonly Ipv4Range[] RefusedIpv4 =
    [
        new(0x00000000, 8, "unspecified (0.0.0.0/8) address"),
        new(0x0A000000, 8, "private (RFC 1918) address"),
        new(0x64400000, 10, "shared CGNAT (100.64.0.0/10) address"),
        new(0x7F000000, 8, "loopback address"),
        new(0xA9FE0000, 16, "link-local address (cloud metadata range)"),
        new(0xAC100000, 12, "private (RFC 1918) address"),
        new(0xC0000000, 24, "IETF protocol assignment (192.0.0.0/24) address"),
        new(0xC0A80000, 16, "private (RFC 1918) address"),
        new(0xC6120000, 15, "benchmarking (198.18.0.0/15) address"),
        new(0xE0000000, 4, "multicast address"),
        new(0xFFFFFFFF, 32, "broadcast address"),
        new(0xF0000000, 4, "reserved (240.0.0.0/4) address"),
    ];

    /// Returns the reason the address is refused, or null when it is a public address the scanner may reach.
    public static string? RefusalReason(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => Ipv4Reason(ToUInt32(address)),
            AddressFamily.InterNetworkV6 => Ipv6Reason(address),
            _ => "address of an unsupported family",
        };
    }

    public static bool IsAllowed(IPAddress address) => RefusalReason(address) is null;

    /// Reads a host that spells an IPv4 address in any of the forms resolvers accept (inet_aton): dotted decimal,
    /// octal (`0177.0.0.1`), hex (`0x7f.1`), a single 32-bit number (`2130706433`) and the short forms (`127.1`);
    /// also bracketed or bare IPv6 literals. Anything else is a name to resolve.
    public static bool TryParseNumericHost(string host, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var text = host.EndsWith('.') ? host[..^1] : host;
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            text = text[1..^1];
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return true;
            }

            return false;
        }

        var parts = text.Split('.');
        if (parts.Length is 0 or > 4)
        {
            return false;
        }

        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParsePart(parts[i], out values[i]))
            {
                return false;
            }
        }

        // Every part but the last is one byte; the last fills the remaining bytes (inet_aton).
        ulong result = 0;
        for (var i = 0; i < values.Length - 1; i++)
        {
            if (values[i] > 0xFF)
            {
                return false;
            }

            result |= values[i] << (8 * (3 - i));
        }

        var last = values[^1];
        var lastBytes = 4 - (values.Length - 1);
        if (last >= 1UL << (8 * lastBytes))
        {
            return false;
        }

        result |= last;
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)result);
        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParsePart(string part, out ulong value)
    {
        value = 0;
        if (part.Length is 0 or > 34)
        {
            return false;
        }

        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            // A bare "0x" is zero to inet_aton.
            var hex = part[2..];
            return hex.Length == 0
                || (hex.All(char.IsAsciiHexDigit)
                    && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value));
        }

        if (!part.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (part.Length > 1 && part[0] == '0')
        {
            if (!part.All(c => c is >= '0' and <= '7'))
            {
                return false;
            }

            try
            {
                value = Convert.ToUInt64(part, 8);
                return true;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string? Ipv4Reason(uint value)
    {
        foreach (var range in RefusedIpv4)
        {
            if (range.Contains(value))
            {
                return range.Reason;
            }
        }

        return null;
    }

    private static string? Ipv6Reason(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback address";
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified address";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return Embedded("IPv4-mapped", BinaryPrimitives.ReadUInt32BigEndian(b[12..]));
        }

        // ::a.b.c.d (deprecated IPv4-compatible form): the first 96 bits are zero.
        if (b[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return Embedded("IPv4-compatible", BinaryPrimitives.ReadUInt32BigEndian(b[12..]));
        }

        // 64:ff9b::/96, the NAT64 well-known prefix: a gateway translates it to the embedded IPv4 address.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return Embedded("NAT64", BinaryPrimitives.ReadUInt32BigEndian(b[12..]));
        }

        // 64:ff9b:1::/48 is for local NAT64 translators only.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0x00 && b[5] == 0x01)
        {
            return "local-use NAT64 (64:ff9b:1::/48) address";
        }

        // 2002::/16, 6to4: bits 16..48 are an IPv4 address the relay connects to.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return Embedded("6to4", BinaryPrimitives.ReadUInt32BigEndian(b[2..6]));
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return "unique local (fc00::/7) address";
        }

        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)
        {
            return "link-local (fe80::/10) address";
        }

        if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0)
        {
            return "site-local (fec0::/10) address";
        }

        if (b[0] == 0xFF)
        {
            return "multicast address";
        }

        // 100::/64 is the discard prefix; 2001:db8::/32 documentation.
        if (b[0] == 0x01 && b[1] == 0x00 && b[2..8].IndexOfAnyExcept((byte)0) < 0)
        {
            return "discard-only (100::/64) address";
        }

        return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 ? "documentation (2001:db8::/32) address" : null;
    }

    private static string? Embedded(string form, uint ipv4)
    {
        var reason = Ipv4Reason(ipv4);
        return reason is null ? null : $"{form} {reason}";
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private readonly record struct Ipv4Range(uint Network, int PrefixLength, string Reason)
    {
        public bool Contains(uint value)
        {
            var mask = PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
            return (value & mask) == (Network & mask);
        }
    }
}
