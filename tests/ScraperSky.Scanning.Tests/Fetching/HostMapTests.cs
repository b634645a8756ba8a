using System.Net;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Tests.Fetching;

public sealed class HostMapTests
{
    [Theory]
    [InlineData("shop.test", true)]
    [InlineData("test", true)]
    [InlineData("a.b.test.", true)]
    [InlineData("SHOP.TEST", true)]
    [InlineData("shoptest", false)]
    [InlineData("test.com", false)]
    [InlineData("example.com", false)]
    public void Host_map_routes_a_suffix_and_its_subdomains_only(string host, bool routed)
    {
        var map = new HostMap(new Dictionary<string, string> { ["test"] = "127.0.0.1:5055" });
        Assert.Equal(routed, map.TryRoute(host, https: false, out var endpoint));
        if (routed)
        {
            Assert.Equal(IPEndPoint.Parse("127.0.0.1:5055"), endpoint);
        }
    }

    [Fact]
    public void Host_map_prefers_the_longest_suffix()
    {
        var map = new HostMap(new Dictionary<string, string> { ["test"] = "127.0.0.1:5055", ["closed.test"] = "127.0.0.1:1" });
        Assert.True(map.TryRoute("a.closed.test", https: false, out var closed));
        Assert.Equal(1, closed.Port);
        Assert.True(map.TryRoute("open.test", https: false, out var open));
        Assert.Equal(5055, open.Port);
    }

    [Fact]
    public void A_plain_endpoint_takes_https_connections_too()
    {
        var map = new HostMap(new Dictionary<string, string> { ["test"] = "127.0.0.1:5055" });

        Assert.True(map.TryRoute("shop.test", https: true, out var endpoint));
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5055"), endpoint);
    }

    [Fact]
    public void An_https_endpoint_takes_the_https_connections_and_only_those()
    {
        var map = new HostMap(new Dictionary<string, string>
        {
            ["test"] = " 127.0.0.1:5055   https=127.0.0.1:5056 ",
            ["v6.test"] = "[::1]:6000 HTTPS=[::1]:6001",
        });

        Assert.True(map.TryRoute("shop.test", https: false, out var plain));
        Assert.True(map.TryRoute("shop.test", https: true, out var tls));
        Assert.True(map.TryRoute("a.v6.test", https: true, out var v6));
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5055"), plain);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:5056"), tls);
        Assert.Equal(IPEndPoint.Parse("[::1]:6001"), v6);
    }

    [Theory]
    [InlineData("localhost:80")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("")]
    [InlineData("https=127.0.0.1:5056")]
    [InlineData("127.0.0.1:5055 https=localhost:443")]
    [InlineData("127.0.0.1:5055 tls=127.0.0.1:5056")]
    [InlineData("127.0.0.1:5055 https=127.0.0.1:5056 https=127.0.0.1:5057")]
    public void Host_map_rejects_a_value_that_is_not_a_route(string value)
    {
        var error = Assert.Throws<FormatException>(() => new HostMap(new Dictionary<string, string> { ["test"] = value }));

        Assert.Equal(
            $"Scanning:HostMap:test must be <ip>:<port>, optionally followed by https=<ip>:<port>, not '{value}'.",
            error.Message);
    }
}
