using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning;

/// Keeps a scan result under `Scanning:MaxResultBytes` of JSON (256 KiB by default): it is stored with the job and
/// returned by every status poll, and what a hostile page holds (a hundred thousand addresses, a megabyte title)
/// must not make it grow with the page. When a result is too large, the least useful parts go first: sitemap
/// errors, then the long tails of the lists (emails, phones, technologies), then over-long strings, then the lists
/// are halved until it fits. The result is then marked partial, saying so.
public static class ScanResultSize
{
    private const int MaxTitleChars = 1_000;
    private const int MaxUrlChars = 2_048;
    private const int MaxHeaderChars = 256;

    // The JSON each result that fitted as it was measured as (UTF-8), kept with that result for as long as it lives: the
    // job queue stores exactly these bytes, and serialising a result (22 KB of JSON on a typical site) cost as much
    // again. Bytes rather than a string: half the memory, and neither a transcoding to UTF-16 here nor one back to
    // UTF-8 where it is stored.
    private static readonly ConditionalWeakTable<SiteMetadata, byte[]> Measured = [];

    // The text ScanJson.Options writes, by code generated for the result's types: every scan's result is serialised on
    // the thread pool, and the reflection-based converters took 2.3% of its CPU in a load run (22 KB per result).
    private static JsonTypeInfo<SiteMetadata> Writer => ScanResultJson.Default.SiteMetadata;

    public static int Measure(SiteMetadata metadata) => JsonSerializer.SerializeToUtf8Bytes(metadata, Writer).Length;

    /// The result as UTF-8 JSON: the bytes <see cref="Fit"/> measured when it returned this very result (results are
    /// immutable records), else serialised now.
    public static byte[] Utf8Json(SiteMetadata metadata) =>
        Measured.TryGetValue(metadata, out var json) ? json : JsonSerializer.SerializeToUtf8Bytes(metadata, Writer);

    public static SiteMetadata Fit(SiteMetadata metadata, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var json = JsonSerializer.SerializeToUtf8Bytes(metadata, Writer);
        if (json.Length <= maxBytes)
        {
            Measured.AddOrUpdate(metadata, json);
            return metadata;
        }

        var fitted = metadata with { Sitemaps = metadata.Sitemaps is { } s ? s with { Errors = [.. s.Errors.Take(5)] } : null };
        fitted = Lists(fitted, emails: 200, phones: 100, technologies: 200, other: 20);
        if (Measure(fitted) > maxBytes)
        {
            fitted = Strings(fitted);
        }

        for (var keep = 100; Measure(fitted) > maxBytes && keep >= 1; keep /= 2)
        {
            fitted = Lists(fitted, keep, keep, keep, Math.Min(keep, 20));
        }

        if (Measure(fitted) > maxBytes)
        {
            fitted = Lists(fitted, 0, 0, 0, 0) with { Sitemaps = fitted.Sitemaps is { } last ? last with { Errors = [] } : null };
        }

        var note = $"the result was larger than {(maxBytes / 1024).ToString(CultureInfo.InvariantCulture)} KiB, so long lists and texts were shortened";
        return fitted with
        {
            Partial = true,
            PartialReason = ErrorText.Cap(fitted.PartialReason is { } earlier ? $"{earlier.TrimEnd('.')}; {note}." : char.ToUpperInvariant(note[0]) + note[1..] + "."),
        };
    }

    private static SiteMetadata Lists(SiteMetadata m, int emails, int phones, int technologies, int other)
    {
        var kept = m.Technologies.Take(technologies).ToList();
        var phoneList = m.ContactInfo.Phones.Take(phones).ToList();
        return m with
        {
            ContactInfo = m.ContactInfo with
            {
                Email = [.. m.ContactInfo.Email.Take(emails)],
                Phones = phoneList,
                Phone = [.. m.ContactInfo.Phone.Take(phones)],
            },
            Technologies = kept,
            TechStack = kept.Count == m.Technologies.Count ? m.TechStack : SiteResult.StackOf(kept),
            RedirectChain = [.. m.RedirectChain.Take(Math.Max(other, 1))],
            PagesScanned = [.. m.PagesScanned.Take(Math.Max(other, 1))],
            Sitemaps = m.Sitemaps is { } s ? s with { Errors = [.. s.Errors.Take(other)], DiscoveryMethods = [.. s.DiscoveryMethods.Take(8)] } : null,
        };
    }

    private static SiteMetadata Strings(SiteMetadata m) => m with
    {
        Title = Cut(m.Title, MaxTitleChars),
        Description = Cut(m.Description, MaxTitleChars),
        Language = Cut(m.Language, 64),
        WordpressVersion = Cut(m.WordpressVersion, 64),
        ElementorVersion = Cut(m.ElementorVersion, 64),
        FaviconUrl = Cut(m.FaviconUrl, MaxUrlChars),
        LogoUrl = Cut(m.LogoUrl, MaxUrlChars),
        FinalUrl = Cut(m.FinalUrl, MaxUrlChars),
        Server = Cut(m.Server, MaxHeaderChars),
        PoweredBy = Cut(m.PoweredBy, MaxHeaderChars),
        RedirectChain = [.. m.RedirectChain.Select(u => Cut(u, MaxUrlChars)!)],
        PagesScanned = [.. m.PagesScanned.Select(u => Cut(u, MaxUrlChars)!)],
        ContactInfo = m.ContactInfo with
        {
            Email = [.. m.ContactInfo.Email.Select(e => Cut(e, 254)!)],
        },
        Technologies = [.. m.Technologies.Select(t => t with { Name = Cut(t.Name, 128)!, Version = Cut(t.Version, 64) })],
        SocialLinks = m.SocialLinks with
        {
            Facebook = Cut(m.SocialLinks.Facebook, MaxUrlChars),
            Twitter = Cut(m.SocialLinks.Twitter, MaxUrlChars),
            Linkedin = Cut(m.SocialLinks.Linkedin, MaxUrlChars),
            Instagram = Cut(m.SocialLinks.Instagram, MaxUrlChars),
            Youtube = Cut(m.SocialLinks.Youtube, MaxUrlChars),
            Tiktok = Cut(m.SocialLinks.Tiktok, MaxUrlChars),
            Pinterest = Cut(m.SocialLinks.Pinterest, MaxUrlChars),
        },
    };

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..(max - 1)] + "…";
}

/// Generated serialisation code for a scan's result (written, never read, with it), and the one place the results'
/// JSON settings are declared: <see cref="ScanJson.Options"/> copies them.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(SiteMetadata))]
internal sealed partial class ScanResultJson : JsonSerializerContext;
