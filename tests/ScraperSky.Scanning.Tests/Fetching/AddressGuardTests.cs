using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Time.Testing;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Tests.Fetching;

public sealed class AddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback address")]
    [InlineData("127.255.255.254", "loopback address")]
    [InlineData("10.1.2.3", "private (RFC 1918) address")]
    [InlineData("172.16.0.1", "private (RFC 1918) address")]
    [InlineData("172.31.255.255", "private (RFC 1918) address")]
    [InlineData("192.168.1.1", "private (RFC 1918) address")]
    [InlineData("169.254.169.254", "link-local address (cloud metadata range)")]
    [InlineData("100.64.0.1", "shared CGNAT (100.64.0.0/10) address")]
    [InlineData("100.127.255.255", "shared CGNAT (100.64.0.0/10) address")]
    [InlineData("0.0.0.0", "unspecified (0.0.0.0/8) address")]
    [InlineData("0.1.2.3", "unspecified (0.0.0.0/8) address")]
    [InlineData("224.0.0.1", "multicast address")]
    [InlineData("239.255.255.250", "multicast address")]
    [InlineData("255.255.255.255", "broadcast address")]
    [InlineData("240.0.0.1", "reserved (240.0.0.0/4) address")]
    [InlineData("::1", "loopback address")]
    [InlineData("::", "unspecified address")]
    [InlineData("fc00::1", "unique local (fc00::/7) address")]
    [InlineData("fd12:3456:789a::1", "unique local (fc00::/7) address")]
    [InlineData("fe80::1", "link-local (fe80::/10) address")]
    [InlineData("febf::1", "link-local (fe80::/10) address")]
    [InlineData("ff02::1", "multicast address")]
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped loopback address")]
    [InlineData("::ffff:169.254.169.254", "IPv4-mapped link-local address (cloud metadata range)")]
    [InlineData("::ffff:10.0.0.1", "IPv4-mapped private (RFC 1918) address")]
    [InlineData("::127.0.0.1", "IPv4-compatible loopback address")]
    [InlineData("::192.168.0.1", "IPv4-compatible private (RFC 1918) address")]
    [InlineData("64:ff9b::10.0.0.1", "NAT64 private (RFC 1918) address")]
    [InlineData("64:ff9b::7f00:1", "NAT64 loopback address")]
    [InlineData("64:ff9b::a9fe:a9fe", "NAT64 link-local address (cloud metadata range)")]
    [InlineData("2002:7f00:1::", "6to4 loopback address")]
    public void Non_public_addresses_are_refused_with_a_reason(string address, string reason)
    {
        Assert.Equal(reason, AddressGuard.RefusalReason(IPAddress.Parse(address)));
        Assert.False(AddressGuard.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("192.169.0.1")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.Null(AddressGuard.RefusalReason(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0x7F000001", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("0xa9.0xfe.0xa9.0xfe", "169.254.169.254")]
    [InlineData("0251.0376.0251.0376", "169.254.169.254")]
    [InlineData("2852039166", "169.254.169.254")]
    [InlineData("10.1", "10.0.0.1")]
    [InlineData("192.168.257", "192.168.1.1")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("[::1]", "::1")]
    [InlineData("::ffff:7f00:1", "::ffff:127.0.0.1")]
    public void Numeric_host_spellings_are_read_as_the_address_they_reach(string host, string expected)
    {
        Assert.True(AddressGuard.TryParseNumericHost(host, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.256")]
    [InlineData("4294967296")]
    [InlineData("08.1.1.1")]
    [InlineData("0x1g.1")]
    [InlineData("1..1")]
    [InlineData("127.0.0.1.example")]
    [InlineData("")]
    public void Names_and_impossible_numbers_are_not_numeric_hosts(string host)
    {
        Assert.False(AddressGuard.TryParseNumericHost(host, out _));
    }

    /// The IANA IPv4 Special-Purpose Address Registry (plus multicast), one row per entry: the guard must refuse its
    /// first, last and middle address in every spelling a resolver accepts, and allow the addresses just outside.
    public static TheoryData<string> Ipv4Registry =>
    [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
    ];

    /// The IANA IPv6 Special-Purpose Address Registry and the non-unicast blocks of the IPv6 address space.
    public static TheoryData<string> Ipv6Registry =>
    [
        "::/128", "::1/128", "::ffff:0:0/96", "::ffff:0:0:0/96", "::/96", "64:ff9b:1::/48", "100::/64", "100:0:0:1::/64",
        "2001::/23", "2001::/32", "2001:2::/48", "2001:10::/28", "2001:20::/28", "2001:db8::/32", "2620:4f:8000::/48",
        "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        // Everything outside 2000::/3 is reserved or not unicast: a few blocks of the IPv6 address space registry.
        "4000::/3", "6000::/3", "8000::/3", "a000::/3", "c000::/3", "e000::/4", "f000::/5", "f800::/6", "fe00::/9",
        "200::/7", "400::/6", "800::/5", "1000::/4",
    ];

    [Theory]
    [MemberData(nameof(Ipv4Registry))]
    public void Every_ipv4_special_purpose_range_is_refused_in_every_spelling(string cidr)
    {
        var (network, prefix) = ParseV4(cidr);
        var last = network | (prefix == 32 ? 0u : uint.MaxValue >> prefix);
        foreach (var value in new[] { network, last, network + ((last - network) / 2) })
        {
            foreach (var spelling in Ipv4Spellings(value))
            {
                Assert.True(AddressGuard.TryParseNumericHost(spelling, out var parsed), spelling);
                Assert.False(AddressGuard.IsAllowed(parsed), $"{spelling} ({cidr}) was allowed");
            }

            // The same address inside the IPv6 forms that carry an IPv4 address.
            var v4 = V4(value);
            foreach (var wrapped in new[] { $"::ffff:{v4}", $"64:ff9b::{v4}", $"2002:{value >> 16:x}:{value & 0xFFFF:x}::1" })
            {
                Assert.False(AddressGuard.IsAllowed(IPAddress.Parse(wrapped)), $"{wrapped} ({cidr}) was allowed");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ipv6Registry))]
    public void Every_ipv6_special_purpose_range_is_refused_in_every_spelling(string cidr)
    {
        var (network, prefix) = ParseV6(cidr);
        var last = network | (prefix == 128 ? UInt128.Zero : UInt128.MaxValue >> prefix);
        foreach (var value in new[] { network, last, network + ((last - network) / 2) })
        {
            foreach (var spelling in Ipv6Spellings(value))
            {
                Assert.True(AddressGuard.TryParseNumericHost(spelling, out var parsed), spelling);
                Assert.False(AddressGuard.IsAllowed(parsed), $"{spelling} ({cidr}) was allowed");
            }
        }
    }

    [Theory]
    [InlineData("192.0.1.255")]
    [InlineData("192.0.3.0")]
    [InlineData("192.31.195.255")]
    [InlineData("192.31.197.0")]
    [InlineData("192.52.192.255")]
    [InlineData("192.88.98.255")]
    [InlineData("192.88.100.0")]
    [InlineData("192.175.47.255")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("198.51.99.255")]
    [InlineData("198.51.101.0")]
    [InlineData("203.0.112.255")]
    [InlineData("203.0.114.0")]
    [InlineData("2001:200::1")]
    [InlineData("2001:db7:ffff::1")]
    [InlineData("2001:db9::1")]
    [InlineData("2620:4f:7fff::1")]
    [InlineData("2620:4f:8001::1")]
    [InlineData("3ffe::1")]
    [InlineData("3fff:1000::1")]
    [InlineData("2c0f:f248::1")]
    public void Addresses_just_outside_the_special_purpose_ranges_are_allowed(string address)
    {
        Assert.Null(AddressGuard.RefusalReason(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("198.51.100.7", "documentation (198.51.100.0/24) address")]
    [InlineData("203.0.113.9", "documentation (203.0.113.0/24) address")]
    [InlineData("192.88.99.1", "6to4 relay anycast (192.88.99.0/24) address")]
    [InlineData("2001::1", "Teredo (2001::/32) address")]
    [InlineData("2001:10::1", "ORCHID (2001:10::/28) address")]
    [InlineData("3fff::1", "documentation (3fff::/20) address")]
    [InlineData("5f00::1", "SRv6 SID (5f00::/16) address")]
    [InlineData("::ffff:0:7f00:1", "IPv4-translated (::ffff:0:0:0/96) address")]
    [InlineData("::ffff:8.8.8.8", "IPv4-mapped (::ffff:0:0/96) address")]
    [InlineData("4000::1", "reserved IPv6 address (outside the global unicast range 2000::/3)")]
    public void The_ranges_the_review_found_open_are_refused_with_a_reason(string address, string reason)
    {
        Assert.Equal(reason, AddressGuard.RefusalReason(IPAddress.Parse(address)));
    }

    [Fact]
    public void An_address_of_the_machines_own_interfaces_is_refused_even_when_public()
    {
        var bound = new List<IPAddress> { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("2606:2800:220:1::7") };
        var time = new FakeTimeProvider();
        var local = new LocalAddresses(() => bound, time, TimeSpan.FromSeconds(30));

        Assert.Equal(AddressGuard.OwnInterfaceReason, AddressGuard.RefusalReason(IPAddress.Parse("93.184.216.34"), local));
        Assert.Equal(AddressGuard.OwnInterfaceReason, AddressGuard.RefusalReason(IPAddress.Parse("2606:2800:220:1::7"), local));
        // The same IPv4 address reached through NAT64 or 6to4.
        Assert.Equal(AddressGuard.OwnInterfaceReason, AddressGuard.RefusalReason(IPAddress.Parse("64:ff9b::5db8:d822"), local));
        Assert.Equal(AddressGuard.OwnInterfaceReason, AddressGuard.RefusalReason(IPAddress.Parse("2002:5db8:d822::1"), local));
        Assert.Null(AddressGuard.RefusalReason(IPAddress.Parse("93.184.216.35"), local));

        // A new address is seen once the list is read again, not before.
        bound.Add(IPAddress.Parse("93.184.216.35"));
        Assert.Null(AddressGuard.RefusalReason(IPAddress.Parse("93.184.216.35"), local));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(AddressGuard.OwnInterfaceReason, AddressGuard.RefusalReason(IPAddress.Parse("93.184.216.35"), local));
    }

    [Fact]
    public void Every_address_bound_on_this_machine_is_refused()
    {
        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToList();

        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.NotNull(AddressGuard.RefusalReason(a, LocalAddresses.Shared)));
    }

    private static (uint Network, int Prefix) ParseV4(string cidr)
    {
        var parts = cidr.Split('/');
        return (BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(parts[0]).GetAddressBytes()), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static (UInt128 Network, int Prefix) ParseV6(string cidr)
    {
        var parts = cidr.Split('/');
        return (BinaryPrimitives.ReadUInt128BigEndian(IPAddress.Parse(parts[0]).GetAddressBytes()), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static string V4(uint value) => new IPAddress(BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value).ToString();

    /// Dotted decimal, dotted octal, dotted hex, one decimal/hex/octal number, the a.b.c and a.b short forms, a
    /// trailing dot.
    private static IEnumerable<string> Ipv4Spellings(uint value)
    {
        var b = new[] { value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF };
        yield return V4(value);
        yield return V4(value) + ".";
        yield return string.Join('.', b.Select(x => "0" + Convert.ToString(x, 8)));
        yield return string.Join('.', b.Select(x => "0x" + x.ToString("x", CultureInfo.InvariantCulture)));
        yield return value.ToString(CultureInfo.InvariantCulture);
        yield return "0x" + value.ToString("X", CultureInfo.InvariantCulture);
        yield return "0" + Convert.ToString(value, 8);
        yield return $"{b[0]}.{b[1]}.{(value & 0xFFFF).ToString(CultureInfo.InvariantCulture)}";
        yield return $"{b[0]}.{(value & 0xFFFFFF).ToString(CultureInfo.InvariantCulture)}";
    }

    /// Compressed, fully written out, upper case, bracketed, and with a zone index where the parser takes one.
    private static IEnumerable<string> Ipv6Spellings(UInt128 value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        var address = new IPAddress(bytes);
        var groups = Enumerable.Range(0, 8).Select(i => ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x4", CultureInfo.InvariantCulture)).ToList();
        yield return address.ToString();
        yield return $"[{address}]";
        yield return string.Join(':', groups);
        yield return string.Join(':', groups).ToUpperInvariant();
        yield return $"{string.Join(':', groups.Take(6))}:{bytes[12]}.{bytes[13]}.{bytes[14]}.{bytes[15]}";
        yield return $"{address}%1";
    }
}
