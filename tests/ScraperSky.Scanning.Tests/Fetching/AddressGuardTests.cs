using System.Net;
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
    [InlineData("::ffff:8.8.8.8")]
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
}
