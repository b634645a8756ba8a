using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Robots;

namespace ScraperSky.Scanning.Tests.Fetching;

public sealed class ScanningRegistrationTests
{
    [Fact]
    public void Defaults_bind_when_the_section_is_absent()
    {
        using var services = Build([]);

        var options = services.GetRequiredService<IOptions<ScanningOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ResponseTimeout);
        Assert.Equal(5 * 1024 * 1024, options.MaxPageBytes);
        Assert.Equal(5, options.MaxRedirects);
        Assert.Empty(options.HostMap);
        Assert.Contains("ScraperSky", options.UserAgent, StringComparison.Ordinal);
        Assert.IsType<WebFetcher>(services.GetRequiredService<IWebFetcher>());
        Assert.IsType<DomainScanner>(services.GetRequiredService<IDomainScanner>());
        Assert.Equal("ScraperSky", services.GetRequiredService<RobotsPolicy>().ProductToken);
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Host_map_entries_bind_from_configuration_keys()
    {
        using var services = Build(new() { ["Scanning:HostMap:test"] = "127.0.0.1:5055" });

        var options = services.GetRequiredService<IOptions<ScanningOptions>>().Value;

        Assert.Equal("127.0.0.1:5055", options.HostMap["test"]);
    }

    [Theory]
    [InlineData("Scanning:HostMap:test", "localhost:5055", "Every Scanning:HostMap:<suffix> value must be <ip>:<port>")]
    [InlineData("Scanning:HostMap:test", "127.0.0.1", "Every Scanning:HostMap:<suffix> value must be <ip>:<port>")]
    [InlineData("Scanning:ResponseTimeout", "00:00:00", "Scanning:ResponseTimeout must be positive.")]
    [InlineData("Scanning:MaxPageBytes", "0", "Scanning:MaxPageBytes must be positive.")]
    [InlineData("Scanning:UserAgent", " ", "Scanning:UserAgent must not be empty.")]
    public void Invalid_settings_fail_validation_with_a_clear_message(string key, string value, string message)
    {
        using var services = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ScanningOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddScanning(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
