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
    public required string FaviconUrl { get; init; }
    public string? LogoUrl { get; init; }
    public IReadOnlyList<string> Emails { get; init; } = [];
    public IReadOnlyList<PhoneNumberInfo> Phones { get; init; } = [];
    public SocialLinks SocialLinks { get; init; } = new();
    public IReadOnlyList<DetectedTechnology> Technologies { get; init; } = [];
    public PagePerformance Performance { get; init; } = new();

    /// Region (ISO 3166 alpha-2) phone numbers were read in, inferred from the site; null when nothing said.
    public string? Region { get; init; }

    /// Every http(s) link of the page, absolute, with its visible text, in document order.
    public IReadOnlyList<PageLink> Links { get; init; } = [];
}

public sealed record PageLink(Uri Url, string Text);
