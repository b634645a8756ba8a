using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Extraction;

/// Everything one page yields; <see cref="SiteResult"/> turns a homepage and its contact pages into a
/// <see cref="SiteMetadata"/>.
public sealed record PageExtraction
{
    public required FetchedPage Page { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Language { get; init; }

    /// Where <see cref="Language"/> was read (a <see cref="Extraction.LanguageSource"/> value); null with it.
    public string? LanguageSource { get; init; }

    /// The icon the page declares; null when it declares none (the scanner then checks `/favicon.ico`).
    public string? FaviconUrl { get; init; }
    public string? LogoUrl { get; init; }
    public IReadOnlyList<string> Emails { get; init; } = [];
    public IReadOnlyList<PhoneNumberInfo> Phones { get; init; } = [];
    public SocialLinks SocialLinks { get; init; } = new();

    /// Every profile the page links to, in canonical form (<see cref="SocialLinks"/> holds the chosen ones).
    public IReadOnlyList<string> SocialProfileUrls { get; init; } = [];
    public IReadOnlyList<DetectedTechnology> Technologies { get; init; } = [];
    public PagePerformance Performance { get; init; } = new();

    /// What the page says of the company behind the site, each fact sourced to this page; null when nothing.
    public CompanyDetails? Company { get; init; }

    /// The page is a legal notice (Impressum, mentions légales ...), whose company facts outrank other pages'.
    public bool IsLegalNotice { get; init; }

    /// Region (ISO 3166 alpha-2) phone numbers were read in, inferred from the site; null when nothing said.
    public string? Region { get; init; }

    /// The page's links the contact-page selector may choose, with their visible text, in document order: those whose
    /// href or text names one of its words, or all when the path of the page's base does
    /// (<see cref="ContactPageSelector.MayChoose"/>); the others are never made into strings.
    public IReadOnlyList<PageLink> Links { get; init; } = [];
}

/// A link as written, resolved against the page's base only when asked: a page has hundreds of links and only the
/// few the contact-page selector considers need a <see cref="Uri"/>.
public sealed class PageLink(Uri baseUrl, string href, string text)
{
    private Uri? _url;
    private bool _resolved;

    public string Href { get; } = href;

    /// What <see cref="Href"/> is resolved against: the page's URL, or its `&lt;base href&gt;`.
    public Uri BaseUrl { get; } = baseUrl;

    public string Text { get; } = text;

    /// The absolute http(s) URL, or null when the href is not one.
    public Uri? Url
    {
        get
        {
            if (!_resolved)
            {
                _url = HtmlExtractor.ResolveUri(BaseUrl, Href);
                _resolved = true;
            }

            return _url;
        }
    }
}
