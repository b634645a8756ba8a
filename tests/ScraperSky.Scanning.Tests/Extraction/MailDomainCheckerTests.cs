using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScraperSky.Scanning.Mail;
using ScraperSky.Testing.Dns;

namespace ScraperSky.Scanning.Tests.Extraction;

/// The MX check against a DNS server of our own on loopback: every answer it can give, a resolver that never
/// answers, the cache and its expiry.
public sealed class MailDomainCheckerTests : IAsyncDisposable
{
    private readonly TestDnsServer _dns = new TestDnsServer()
        .Add("mail.test", mx: [(10, "mx.mail.test")])
        .Add("null-mx.test", mx: [(0, ".")])
        .Add("address-only.test", a: ["192.0.2.1"])
        .Add("nothing.test")
        .Silent("silent.test");

    private readonly ManualTime _time = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MailDomainChecker Checker(TimeSpan? cache = null) => new(Options.Create(new ScanningOptions
    {
        DnsServer = _dns.Endpoint,
        DnsTimeout = TimeSpan.FromMilliseconds(300),
        MxCacheDuration = cache ?? TimeSpan.FromHours(1),
    }), _time, NullLogger<MailDomainChecker>.Instance);

    [Theory]
    [InlineData("mail.test", true)]
    [InlineData("address-only.test", true)]
    [InlineData("null-mx.test", false)]
    [InlineData("nothing.test", false)]
    [InlineData("no-such-domain.test", false)]
    public async Task A_domain_takes_mail_when_it_has_an_mx_or_else_an_address(string domain, bool deliverable)
    {
        Assert.Equal(deliverable, await Checker().CheckAsync(domain, Ct));
    }

    [Fact]
    public async Task A_resolver_that_never_answers_gives_unknown_within_its_timeouts()
    {
        var clock = Stopwatch.StartNew();
        Assert.Null(await Checker().CheckAsync("silent.test", Ct));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Answers_are_cached_per_domain_until_they_expire_and_unknowns_are_not()
    {
        var checker = Checker(TimeSpan.FromMinutes(10));
        await checker.CheckAsync("mail.test", Ct);
        await checker.CheckAsync("MAIL.test", Ct);
        Assert.Equal(1, _dns.QuestionsFor("mail.test"));

        _time.Advance(TimeSpan.FromMinutes(11));
        await checker.CheckAsync("mail.test", Ct);
        Assert.Equal(2, _dns.QuestionsFor("mail.test"));

        await checker.CheckAsync("silent.test", Ct);
        var asked = _dns.QuestionsFor("silent.test");
        await checker.CheckAsync("silent.test", Ct);
        Assert.True(_dns.QuestionsFor("silent.test") > asked);
    }

    [Fact]
    public async Task Checks_switched_off_leave_contacts_as_they_are()
    {
        var checker = new MailDomainChecker(Options.Create(new ScanningOptions { CheckMx = false, DnsServer = _dns.Endpoint }),
            _time, NullLogger<MailDomainChecker>.Instance);
        var contacts = new ContactInfo { EmailsDetail = [new EmailContact("info@mail.test", "role", [], null)] };

        Assert.Same(contacts, await checker.CheckAsync(contacts, Ct));
        Assert.Equal(0, _dns.QuestionsFor("mail.test"));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("1.1.1.1:99999")]
    public void A_malformed_dns_server_fails_at_start_with_a_clear_message(string server)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Scanning:DnsServer"] = server }).Build();
        using var services = new ServiceCollection().AddScanning(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ScanningOptions>>().Value);
        Assert.Contains("Scanning:DnsServer", error.Message, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _dns.DisposeAsync();

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
