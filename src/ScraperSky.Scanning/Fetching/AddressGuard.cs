using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ScraperSky.Scanning.Fetching;

/// Decides whether the scanner may open a connection to an address. A service that fetches whatever a user types must
/// not become a way into its own network, so only public unicast addresses pass: every range of the IANA IPv4 and IPv6
/// Special-Purpose Address Registries is refused (loopback, private, link-local where cloud metadata lives, CGNAT,
/// documentation, benchmarking, AS112, 6to4 relays, Teredo, ORCHID, SRv6 ...), so are multicast and every IPv6
/// address outside the global unicast range 2000::/3, and the IPv6 forms that embed a refused IPv4 address (NAT64,
/// 6to4). IPv4-mapped and IPv4-compatible IPv6 addresses are refused whatever they embed: a socket given one talks
/// IPv4, and DNS has no business answering with them. <see cref="LocalAddresses"/> adds the machine's own interface
/// addresses, which may be public.
public static class AddressGuard
{
    public const string OwnInterfaceReason = "address of one of this machine's own network interfaces";

    // The IANA IPv4 Special-Purpose Address Registry (and the multicast block), most specific first.
    private static readonly Ipv4Range[] RefusedIpv4 = SortedV4(
    [
        new(0x00000000, 8, "unspecified (0.0.0.0/8) address"),
        new(0x0A000000, 8, "private (RFC 1918) address"),
        new(0x64400000, 10, "shared CGNAT (100.64.0.0/10) address"),
        new(0x7F000000, 8, "loopback address"),
        new(0xA9FE0000, 16, "link-local address (cloud metadata range)"),
        new(0xAC100000, 12, "private (RFC 1918) address"),
        new(0xC0000000, 24, "IETF protocol assignment (192.0.0.0/24) address"),
        new(0xC0000200, 24, "documentation (192.0.2.0/24) address"),
        new(0xC01FC400, 24, "AS112 (192.31.196.0/24) address"),
        new(0xC034C100, 24, "AMT (192.52.193.0/24) address"),
        new(0xC0586300, 24, "6to4 relay anycast (192.88.99.0/24) address"),
        new(0xC0A80000, 16, "private (RFC 1918) address"),
        new(0xC0AF3000, 24, "AS112 direct delegation (192.175.48.0/24) address"),
        new(0xC6120000, 15, "benchmarking (198.18.0.0/15) address"),
        new(0xC6336400, 24, "documentation (198.51.100.0/24) address"),
        new(0xCB007100, 24, "documentation (203.0.113.0/24) address"),
        new(0xE0000000, 4, "multicast address"),
        new(0xF0000000, 4, "reserved (240.0.0.0/4) address"),
        new(0xFFFFFFFF, 32, "broadcast address"),
    ]);

    // The IANA IPv6 Special-Purpose Address Registry and the IPv6 address space's non-unicast blocks, most specific
    // first. Ranges that embed an IPv4 address are handled apart (see Ipv6Reason).
    private static readonly Ipv6Range[] RefusedIpv6 = SortedV6(
    [
        Ipv6Range.Parse("::/128", "unspecified address"),
        Ipv6Range.Parse("::1/128", "loopback address"),
        Ipv6Range.Parse("::ffff:0:0:0/96", "IPv4-translated (::ffff:0:0:0/96) address"),
        Ipv6Range.Parse("64:ff9b:1::/48", "local-use NAT64 (64:ff9b:1::/48) address"),
        Ipv6Range.Parse("100::/64", "discard-only (100::/64) address"),
        Ipv6Range.Parse("100:0:0:1::/64", "dummy (100:0:0:1::/64) address"),
        Ipv6Range.Parse("2001::/23", "IETF protocol assignment (2001::/23) address"),
        Ipv6Range.Parse("2001::/32", "Teredo (2001::/32) address"),
        Ipv6Range.Parse("2001:2::/48", "benchmarking (2001:2::/48) address"),
        Ipv6Range.Parse("2001:10::/28", "ORCHID (2001:10::/28) address"),
        Ipv6Range.Parse("2001:20::/28", "ORCHIDv2 (2001:20::/28) address"),
        Ipv6Range.Parse("2001:db8::/32", "documentation (2001:db8::/32) address"),
        Ipv6Range.Parse("2620:4f:8000::/48", "AS112 direct delegation (2620:4f:8000::/48) address"),
        Ipv6Range.Parse("3fff::/20", "documentation (3fff::/20) address"),
        Ipv6Range.Parse("5f00::/16", "SRv6 SID (5f00::/16) address"),
        Ipv6Range.Parse("fc00::/7", "unique local (fc00::/7) address"),
        Ipv6Range.Parse("fe80::/10", "link-local (fe80::/10) address"),
        Ipv6Range.Parse("fec0::/10", "site-local (fec0::/10) address"),
        Ipv6Range.Parse("ff00::/8", "multicast address"),
    ]);

    private static readonly Ipv6Range GlobalUnicast = Ipv6Range.Parse("2000::/3", "");
    private static readonly Ipv6Range Ipv4Mapped = Ipv6Range.Parse("::ffff:0:0/96", "");
    private static readonly Ipv6Range Ipv4Compatible = Ipv6Range.Parse("::/96", "");
    private static readonly Ipv6Range Nat64 = Ipv6Range.Parse("64:ff9b::/96", "");
    private static readonly Ipv6Range SixToFour = Ipv6Range.Parse("2002::/16", "");

    /// Returns the reason the address is refused, or null when it is a public address the scanner may reach. This is
    /// the registries' verdict alone; <see cref="RefusalReason(IPAddress, LocalAddresses)"/> adds the machine's own.
    public static string? RefusalReason(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => Ipv4Reason(ToUInt32(address)),
            AddressFamily.InterNetworkV6 => Ipv6Reason(ToUInt128(address)),
            _ => "address of an unsupported family",
        };
    }

    /// The registries' verdict, then whether the address (or the IPv4 address a NAT64 or 6to4 form embeds) is bound to
    /// one of this machine's interfaces: a public address of our own network card reaches our own services.
    public static string? RefusalReason(IPAddress address, LocalAddresses local)
    {
        ArgumentNullException.ThrowIfNull(local);
        if (RefusalReason(address) is { } reason)
        {
            return reason;
        }

        if (local.Contains(address))
        {
            return OwnInterfaceReason;
        }

        return EmbeddedIpv4(address) is { } embedded && local.Contains(embedded) ? OwnInterfaceReason : null;
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

    private static string? Ipv6Reason(UInt128 value)
    {
        // Forms that carry an IPv4 address: mapped and compatible ones are refused outright (naming what they embed
        // when that is refused too); NAT64 and 6to4 reach the embedded address, so they are judged by it.
        if (Ipv4Mapped.Contains(value))
        {
            return Embedded("IPv4-mapped", (uint)value) ?? "IPv4-mapped (::ffff:0:0/96) address";
        }

        if (Ipv4Compatible.Contains(value) && value > 1)
        {
            return Embedded("IPv4-compatible", (uint)value) ?? "IPv4-compatible (::/96) address";
        }

        if (Nat64.Contains(value))
        {
            return Embedded("NAT64", (uint)value);
        }

        if (SixToFour.Contains(value))
        {
            return Embedded("6to4", (uint)(value >> 80));
        }

        foreach (var range in RefusedIpv6)
        {
            if (range.Contains(value))
            {
                return range.Reason;
            }
        }

        return GlobalUnicast.Contains(value) ? null : "reserved IPv6 address (outside the global unicast range 2000::/3)";
    }

    /// The IPv4 address a NAT64 or 6to4 address reaches, if it is one.
    private static IPAddress? EmbeddedIpv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var value = ToUInt128(address);
        uint? embedded = Nat64.Contains(value) ? (uint)value : SixToFour.Contains(value) ? (uint)(value >> 80) : null;
        if (embedded is not { } ipv4)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, ipv4);
        return new IPAddress(bytes);
    }

    private static string? Embedded(string form, uint ipv4)
    {
        var reason = Ipv4Reason(ipv4);
        return reason is null ? null : $"{form} {reason}";
    }

    internal static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    internal static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static Ipv4Range[] SortedV4(Ipv4Range[] ranges) => [.. ranges.OrderByDescending(r => r.PrefixLength)];

    private static Ipv6Range[] SortedV6(Ipv6Range[] ranges) => [.. ranges.OrderByDescending(r => r.PrefixLength)];

    private readonly record struct Ipv4Range(uint Network, int PrefixLength, string Reason)
    {
        public bool Contains(uint value)
        {
            var mask = PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
            return (value & mask) == (Network & mask);
        }
    }

    private readonly record struct Ipv6Range(UInt128 Network, int PrefixLength, string Reason)
    {
        public static Ipv6Range Parse(string cidr, string reason)
        {
            var slash = cidr.IndexOf('/', StringComparison.Ordinal);
            var network = ToUInt128(IPAddress.Parse(cidr[..slash]));
            return new Ipv6Range(network, int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture), reason);
        }

        public bool Contains(UInt128 value)
        {
            var mask = PrefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - PrefixLength);
            return (value & mask) == (Network & mask);
        }
    }
}
