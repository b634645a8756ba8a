using System.Collections.Concurrent;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ScraperSky.Scanning.Mail;

/// Whether an email domain takes mail, from DNS: an MX record says yes, unless it is the null MX of RFC 7505 (`0 .`);
/// without MX records the domain's own address is its mail host (RFC 5321 §5.1), so an A or AAAA record says yes too;
/// a domain that does not exist, or has neither, says no. Timeouts and server failures say nothing (null) and are not
/// remembered; answers are, per domain, for `Scanning:MxCacheDuration`. Network work, so the scanner asks after
/// extraction, never the per-page extractor.
public sealed partial class MailDomainChecker
{
    // A page listing addresses at dozens of domains (a directory, a spam trap) must not turn a scan into a DNS crawl.
    private const int MaxDomainsPerScan = 10;
    private const int MaxCachedDomains = 100_000;

    private readonly ScanningOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MailDomainChecker> _logger;
    private readonly LookupClient _client;
    private readonly ConcurrentDictionary<string, (bool Deliverable, DateTimeOffset Expires)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public MailDomainChecker(IOptions<ScanningOptions> options, TimeProvider time, ILogger<MailDomainChecker> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        var lookup = _options.DnsServer is { } server && TryParseEndpoint(server, out var endpoint)
            ? new LookupClientOptions(endpoint)
            : new LookupClientOptions();
        lookup.Timeout = _options.DnsTimeout;
        lookup.Retries = 1;
        lookup.UseCache = false;
        lookup.ThrowDnsErrors = false;
        _client = new LookupClient(lookup);
    }

    /// `<ip>` or `<ip>:<port>` (IPv6 in brackets when a port follows).
    public static bool TryParseEndpoint(string value, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (IPAddress.TryParse(value.Trim(), out var address))
        {
            endpoint = new IPEndPoint(address, 53);
            return true;
        }

        if (IPEndPoint.TryParse(value.Trim(), out var parsed) && parsed.Port > 0)
        {
            endpoint = parsed;
            return true;
        }

        return false;
    }

    /// <paramref name="contacts"/> with <see cref="EmailContact.DeliverableDomain"/> filled in; unchanged when checks
    /// are off.
    public async Task<ContactInfo> CheckAsync(ContactInfo contacts, CancellationToken cancellationToken)
    {
        if (!_options.CheckMx || contacts.EmailsDetail.Count == 0)
        {
            return contacts;
        }

        var domains = contacts.EmailsDetail.Select(e => DomainOf(e.Email)).Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxDomainsPerScan).ToList();
        var answers = await Task.WhenAll(domains.Select(d => CheckAsync(d, cancellationToken)));
        var byDomain = domains.Zip(answers).ToDictionary(p => p.First, p => p.Second, StringComparer.OrdinalIgnoreCase);
        return contacts with
        {
            EmailsDetail = [.. contacts.EmailsDetail.Select(e => e with { DeliverableDomain = byDomain.GetValueOrDefault(DomainOf(e.Email)) })],
        };
    }

    /// True, false, or null when DNS could not tell.
    public async Task<bool?> CheckAsync(string domain, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(domain, out var cached) && cached.Expires > now)
        {
            return cached.Deliverable;
        }

        bool? deliverable;
        try
        {
            deliverable = await LookUpAsync(domain, cancellationToken);
        }
        catch (DnsResponseException e)
        {
            // Timeouts and unreachable resolvers: say nothing rather than call a live domain dead.
            LogLookupFailed(_logger, domain, e.Message);
            return null;
        }

        if (deliverable is { } known)
        {
            if (_cache.Count >= MaxCachedDomains)
            {
                _cache.Clear();
            }

            _cache[domain] = (known, now + _options.MxCacheDuration);
        }

        return deliverable;
    }

    private async Task<bool?> LookUpAsync(string domain, CancellationToken cancellationToken)
    {
        var mx = await _client.QueryAsync(domain, QueryType.MX, QueryClass.IN, cancellationToken);
        switch (Outcome(mx))
        {
            case DnsOutcome.NoDomain:
                return false;
            case DnsOutcome.Failed:
                return null;
        }

        var exchanges = mx.Answers.MxRecords().ToList();
        if (exchanges.Count > 0)
        {
            // RFC 7505: a single MX of "." says the domain accepts no mail at all.
            return !exchanges.All(IsNullMx);
        }

        foreach (var type in new[] { QueryType.A, QueryType.AAAA })
        {
            var address = await _client.QueryAsync(domain, type, QueryClass.IN, cancellationToken);
            var outcome = Outcome(address);
            if (outcome == DnsOutcome.Failed)
            {
                return null;
            }

            if (outcome == DnsOutcome.NoDomain)
            {
                return false;
            }

            if (address.Answers.OfType<AddressRecord>().Any())
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNullMx(MxRecord record) => record.Exchange.Value is "." or "";

    private static DnsOutcome Outcome(IDnsQueryResponse response) => response.Header.ResponseCode switch
    {
        DnsHeaderResponseCode.NoError => DnsOutcome.Answered,
        DnsHeaderResponseCode.NotExistentDomain => DnsOutcome.NoDomain,
        _ => DnsOutcome.Failed,
    };

    private static string DomainOf(string email) => email[(email.LastIndexOf('@') + 1)..];

    private enum DnsOutcome
    {
        Answered,
        NoDomain,
        Failed,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MX lookup for {Domain} failed: {Reason}")]
    private static partial void LogLookupFailed(ILogger logger, string domain, string reason);
}
