using ScraperSky.Scanning.Domains;

namespace ScraperSky.Scanning.Tests;

public sealed class DomainNameTests
{
    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("  Example.COM  ", "example.com")]
    [InlineData("https://www.example.com/path?q=1#x", "example.com")]
    [InlineData("http://example.com:8080", "example.com")]
    [InlineData("//www.example.com", "example.com")]
    [InlineData("blog.example.co.uk", "blog.example.co.uk")]
    [InlineData("example.com.", "example.com")]
    [InlineData("bücher.de", "xn--bcher-kva.de")]
    [InlineData("WWW.Bücher.DE/über", "xn--bcher-kva.de")]
    [InlineData("shop-17.delay500.gen.test", "shop-17.delay500.gen.test")]
    public void Valid_inputs_normalise_to_the_host_name(string input, string expected)
    {
        Assert.True(DomainName.TryNormalize(input, out var domain));
        Assert.Equal(expected, domain);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a domain")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("http://[::1]/")]
    [InlineData("2130706433")]
    [InlineData("ftp://example.com")]
    [InlineData("exa_mple.com")]
    [InlineData("-example.com")]
    [InlineData("example.123")]
    [InlineData("user:pass@example.com")]
    [InlineData("example..com")]
    public void Invalid_inputs_are_refused(string input)
    {
        Assert.False(DomainName.TryNormalize(input, out var domain));
        Assert.Null(domain);
    }

    [Fact]
    public void A_label_longer_than_63_characters_is_refused()
    {
        Assert.False(DomainName.TryNormalize(new string('a', 64) + ".com", out _));
        Assert.True(DomainName.TryNormalize(new string('a', 63) + ".com", out _));
    }
}
