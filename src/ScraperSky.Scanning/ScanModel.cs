using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScraperSky.Scanning;

/// What a scan is asked to do. <see cref="Domain"/> is already normalised (see <see cref="Domains.DomainName"/>).
public sealed record ScanRequest
{
    public required string Domain { get; init; }

    /// Upper bound on pages fetched for this scan (homepage included); null means the configured default.
    public int? MaxPages { get; init; }

    public bool IncludeSitemaps { get; init; } = true;

    /// Where the sitemap URLs go (the job worker passes a store for the job's tenant and domain); without one the
    /// sitemaps are still read and summarised.
    public Sitemaps.ISitemapSink? SitemapSink { get; init; }
}

/// Progress steps of the v1 contract; the worker persists them.
public static class ScanSteps
{
    public const string Starting = "starting";
    public const string Extracting = "extracting";
    public const string Storing = "storing";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

public sealed record ScanProgress(string Step, string Message);

public interface IDomainScanner
{
    Task<SiteMetadata> ScanAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken);
}

/// A scan that cannot produce a result. Transient failures (timeouts, connection errors, 5xx, 429) may be retried;
/// permanent ones (invalid domain, 4xx, a refused address) fail the job at once. The message is shown to users and
/// stored, so it is capped (<see cref="ErrorText"/>).
public sealed class ScanException(string message, bool isTransient, Exception? innerException = null)
    : Exception(ErrorText.Cap(message), innerException)
{
    public bool IsTransient { get; } = isTransient;
}

/// The v1 `metadata` object, with the fields we add after the v1 ones. Serialised with <see cref="ScanJson.Options"/>.
public sealed record SiteMetadata
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Language { get; init; }
    public bool IsWordpress { get; init; }
    public string? WordpressVersion { get; init; }
    public bool HasElementor { get; init; }
    public string? FaviconUrl { get; init; }
    public string? LogoUrl { get; init; }
    public ContactInfo ContactInfo { get; init; } = new();
    public SocialLinks SocialLinks { get; init; } = new();
    public TechStack TechStack { get; init; } = new();
    public PagePerformance Performance { get; init; } = new();

    // Added fields (never replacing v1 ones).
    public string? FinalUrl { get; init; }
    public int? HttpStatus { get; init; }
    public IReadOnlyList<string> RedirectChain { get; init; } = [];
    public string? Server { get; init; }
    public string? PoweredBy { get; init; }
    public long PageBytes { get; init; }
    public long FetchMs { get; init; }
    public IReadOnlyList<DetectedTechnology> Technologies { get; init; } = [];
    public IReadOnlyList<string> PagesScanned { get; init; } = [];
    public string? ElementorVersion { get; init; }
    public SitemapSummary? Sitemaps { get; init; }

    /// Where `language` was read: `html_lang`, `content_language`, `og_locale`, `json_ld` or `detected` (from the text).
    public string? LanguageSource { get; init; }
    public IReadOnlyList<SocialProfile> SocialProfiles { get; init; } = [];
    public CompanyDetails? Company { get; init; }

    /// The scan ended before reading everything it would have (its deadline came), or its result was shortened to fit
    /// the size cap; <see cref="PartialReason"/> says what is missing.
    public bool Partial { get; init; }
    public string? PartialReason { get; init; }
}

public sealed record ContactInfo
{
    /// Lower-cased, de-duplicated addresses.
    public IReadOnlyList<string> Email { get; init; } = [];

    /// Display forms (international format), one per distinct number.
    public IReadOnlyList<string> Phone { get; init; } = [];

    /// The same numbers with their E.164 form alongside.
    public IReadOnlyList<PhoneNumberInfo> Phones { get; init; } = [];

    /// The addresses of <see cref="Email"/>, each with its kind, pages and whether its domain takes mail.
    public IReadOnlyList<EmailContact> EmailsDetail { get; init; } = [];
}

public sealed record PhoneNumberInfo(string Display, string E164)
{
    /// libphonenumber's type in snake_case: `fixed_line`, `mobile`, `fixed_line_or_mobile`, `toll_free` ...
    public string Type { get; init; } = "unknown";

    /// The country (ISO 3166 alpha-2) the number belongs to.
    public string? Region { get; init; }

    /// The pages the number was found on, in the order they were read.
    public IReadOnlyList<string> Pages { get; init; } = [];
}

public sealed record SocialLinks
{
    public string? Facebook { get; init; }
    public string? Twitter { get; init; }
    public string? Linkedin { get; init; }
    public string? Instagram { get; init; }
    public string? Youtube { get; init; }
    public string? Tiktok { get; init; }
    public string? Pinterest { get; init; }
}

public sealed record TechStack
{
    public IReadOnlyList<string> Cms { get; init; } = [];
    public IReadOnlyList<string> Frameworks { get; init; } = [];
    public IReadOnlyList<string> Analytics { get; init; } = [];
    public IReadOnlyList<string> Widgets { get; init; } = [];
}

public sealed record PagePerformance
{
    public int ImageCount { get; init; }
    public int ScriptCount { get; init; }
    public int CssCount { get; init; }
    public int FormCount { get; init; }
    public int LinkCount { get; init; }
    public int TotalElements { get; init; }
}

public sealed record DetectedTechnology(string Name, IReadOnlyList<string> Categories, string? Version, int Confidence)
{
    // Added fields: why the technology was reported. `version_source` names the signal the version came from
    // (`meta:generator`, `script_url`, ...); `confidence_source` is `seen` or `implied`.
    public string? VersionSource { get; init; }
    public string ConfidenceSource { get; init; } = Fingerprints.ConfidenceSources.Seen;
    public IReadOnlyList<string> ImpliedBy { get; init; } = [];
    public IReadOnlyList<Fingerprints.TechnologyEvidence> Evidence { get; init; } = [];
}

/// What a scan learned of a site's sitemaps (the `sitemaps` metadata field).
///
/// One rule for this summary and the sitemaps endpoint (`total_files`): a file counts in <see cref="Files"/> when it
/// was read, that is when it answered with a success status (<see cref="CountsAsFile"/>). A file that was tried and
/// could not be read (404, a timeout, disallowed by robots.txt) is not counted, yet it is not forgotten either: the
/// endpoint lists it with its error, its error is in <see cref="Errors"/>, and how it was found is in
/// <see cref="DiscoveryMethods"/>, which names how every file tried was found. Well-known paths probed without being
/// declared anywhere are neither counted nor listed when they are missing.
public sealed record SitemapSummary
{
    public int Files { get; init; }
    public long Urls { get; init; }
    public DateTimeOffset? NewestLastmod { get; init; }
    public IReadOnlyList<string> DiscoveryMethods { get; init; } = [];
    public IReadOnlyList<string> Errors { get; init; } = [];

    // Added after the fields.
    public int TruncatedFiles { get; init; }

    public static bool CountsAsFile(int? httpStatus) => httpStatus is >= 200 and < 300;
}

public static class ScanJson
{
    /// snake_case, as the v1 contract spells every field; nulls are written (clients read `"youtube": null`). The
    /// settings are declared once, on the generated serialiser of results (<see cref="ScanResultJson"/>), and copied
    /// here with the reflection resolver for every other type, so a result is the same text written either way.
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(ScanResultJson.Default.Options)
        {
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
