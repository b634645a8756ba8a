namespace ScraperSky.Scanning;

/// The `Scanning` configuration section.
public sealed class ScanningOptions
{
    public const string Section = "Scanning";

    public string UserAgent { get; set; } = "Mozilla/5.0 (compatible; ScraperSky/1.0; +https://scrapersky.example/bot)";

    /// `Scanning:HostMap:<suffix>` = `<ip>:<port>`: every connection to a host ending in `.<suffix>` (or equal to it)
    /// goes to that endpoint, like curl's --connect-to. `<ip>:<port> https=<ip>:<port>` sends the connections made for
    /// https URLs to the second endpoint (a TLS listener) and the others to the first. Routed hosts are exempt from the
    /// address guard. Empty by default.
    public Dictionary<string, string> HostMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// `Scanning:ExtraRootCertificates:<n>` = path of a PEM file of root certificates trusted beside the system's (a
    /// corporate TLS proxy, a test CA). Certificates are validated as usual otherwise; one that fails counts as a
    /// failed handshake, so the request falls back to http. Empty by default.
    public List<string> ExtraRootCertificates { get; set; } = [];

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// From a request to the end of its answer's body; a page's wait for room in the page budget, between its answer's
    /// head and its body, does not count (<see cref="PagesInFlightBytes"/>).
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// Cap on a page's decompressed body.
    public long MaxPageBytes { get; set; } = 5 * 1024 * 1024;

    public int MaxRedirects { get; set; } = 5;

    /// Same-site pages (contact, about, impressum, team) read after the homepage, unless a scan's max_pages says fewer.
    public int ContactPages { get; set; } = 5;

    /// Optional directory of extra fingerprint files in the Wappalyzer schema, loaded at start.
    public string? FingerprintsDirectory { get; set; }

    /// Whether each email domain found is asked for its MX (`deliverable_domain`); off leaves it null.
    public bool CheckMx { get; set; } = true;

    /// The resolver for MX checks, `<ip>` or `<ip>:<port>`; none means the system's resolvers.
    public string? DnsServer { get; set; }

    /// Per DNS query try (one retry follows a timeout).
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// How long an email domain's answer is remembered, process-wide.
    public TimeSpan MxCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// The longest a scan may take: at the deadline it ends with what it has read, marked `partial` with the reason.
    /// Contact pages and sitemaps share it.
    public TimeSpan ScanDeadline { get; set; } = TimeSpan.FromMinutes(2);

    /// CPU time one page's parse and extraction may use; a page that needs more is not read (the homepage fails the
    /// scan with a permanent error, a contact page is skipped).
    public TimeSpan PageCpuBudget { get; set; } = TimeSpan.FromSeconds(3);

    /// Bytes the pages between their fetch and the end of their extraction may hold, across every scan of the process
    /// (<see cref="ExtractionLane.PageAdmission"/>): past it, a page whose answer has come waits before its body is read.
    /// A page takes room from its answer's head (at its Content-Length, or its typical size) to the end of its
    /// extraction; a page still waiting for its answer takes none.
    public long PagesInFlightBytes { get; set; } = ExtractionLane.DefaultPageBytes;

    /// Requests in flight at once to one registrable domain, across every scan of the process.
    public int MaxConcurrentRequestsPerHost { get; set; } = 4;

    /// Cap on a scan result's size as JSON; long lists are shortened to fit and the result marked `partial`.
    public int MaxResultBytes { get; set; } = 256 * 1024;
}
