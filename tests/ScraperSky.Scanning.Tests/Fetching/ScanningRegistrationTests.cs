using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
        Assert.Empty(options.ExtraRootCertificates);
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

    [Fact]
    public void A_host_map_value_with_an_https_endpoint_and_extra_roots_bind_from_configuration_keys()
    {
        var pem = Path.Combine(Path.GetTempPath(), $"scrapersky-root-{Guid.NewGuid():N}.pem");
        File.WriteAllText(pem, SelfSignedRootPem());
        try
        {
            using var services = Build(new()
            {
                ["Scanning:HostMap:test"] = "127.0.0.1:5055 https=127.0.0.1:5056",
                ["Scanning:ExtraRootCertificates:0"] = pem,
            });

            var options = services.GetRequiredService<IOptions<ScanningOptions>>().Value;

            Assert.Equal("127.0.0.1:5055 https=127.0.0.1:5056", options.HostMap["test"]);
            Assert.Equal([pem], options.ExtraRootCertificates);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public void A_file_without_a_pem_certificate_is_not_accepted_as_an_extra_root()
    {
        var file = Path.Combine(Path.GetTempPath(), $"scrapersky-root-{Guid.NewGuid():N}.pem");
        File.WriteAllText(file, "not a certificate");
        try
        {
            using var services = Build(new() { ["Scanning:ExtraRootCertificates:0"] = file });

            var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ScanningOptions>>().Value);

            Assert.Contains("Every Scanning:ExtraRootCertificates entry must name a PEM file", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("Scanning:HostMap:test", "localhost:5055", "Every Scanning:HostMap:<suffix> value must be <ip>:<port>")]
    [InlineData("Scanning:HostMap:test", "127.0.0.1", "Every Scanning:HostMap:<suffix> value must be <ip>:<port>")]
    [InlineData("Scanning:HostMap:test", "127.0.0.1:5055 https=localhost:5056", "Every Scanning:HostMap:<suffix> value must be <ip>:<port>, optionally followed by https=<ip>:<port>")]
    [InlineData("Scanning:ExtraRootCertificates:0", "/nonexistent/corporate-root.pem", "Every Scanning:ExtraRootCertificates entry must name a PEM file holding at least one certificate.")]
    [InlineData("Scanning:ResponseTimeout", "00:00:00", "Scanning:ResponseTimeout must be positive.")]
    [InlineData("Scanning:MaxPageBytes", "0", "Scanning:MaxPageBytes must be positive.")]
    [InlineData("Scanning:UserAgent", " ", "Scanning:UserAgent must not be empty.")]
    [InlineData("Scanning:PagesInFlightBytes", "4096", "Scanning:PagesInFlightBytes must be at least 1048576.")]
    public void Invalid_settings_fail_validation_with_a_clear_message(string key, string value, string message)
    {
        using var services = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ScanningOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_budget_of_the_extraction_lane_comes_from_configuration()
    {
        using var configured = Build(new() { ["Scanning:PagesInFlightBytes"] = "67108864" });
        using var defaults = Build([]);

        Assert.Equal(64L * 1024 * 1024, configured.GetRequiredService<ExtractionLane>().PageBytes);
        Assert.Equal(ExtractionLane.DefaultPageBytes, defaults.GetRequiredService<ExtractionLane>().PageBytes);
    }

    private static string SelfSignedRootPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Corporate Proxy Root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return root.ExportCertificatePem();
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddScanning(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
