using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Extraction;

/// Builds a domain's <see cref="SiteMetadata"/> from its homepage and the contact pages read after it: page facts
/// (title, logo, performance ...) come from the homepage; emails, phones, profiles and technologies are merged, the
/// homepage's first. Every URL is in the host form of `final_url` (see <see cref="HostForm"/>).
public static class SiteResult
{
    public static SiteMetadata Build(PageExtraction homepage, IReadOnlyList<PageExtraction> contactPages)
    {
        var pages = new List<PageExtraction>(1 + contactPages.Count) { homepage };
        pages.AddRange(contactPages);

        var emails = pages.SelectMany(p => p.Emails).Distinct(StringComparer.Ordinal).ToList();
        var phones = pages.SelectMany(p => p.Phones).DistinctBy(p => p.E164)
            .Select(phone => PhoneFinder.Describe(phone) with { Pages = PagesWith(pages, p => p.Phones.Any(q => q.E164 == phone.E164)) })
            .ToList();
        var socialLinks = MergeSocial(pages);
        var technologies = MergeTechnologies(pages.SelectMany(p => p.Technologies));
        var wordpress = technologies.FirstOrDefault(t => t.Name == "WordPress");
        var elementor = technologies.FirstOrDefault(t => t.Name == "Elementor");
        var page = homepage.Page;

        return new SiteMetadata
        {
            Title = homepage.Title,
            Description = homepage.Description,
            Language = homepage.Language,
            LanguageSource = homepage.LanguageSource,
            IsWordpress = wordpress is not null,
            WordpressVersion = wordpress?.Version,
            HasElementor = elementor is not null,
            ElementorVersion = elementor?.Version,
            FaviconUrl = HostForm.Ascii(homepage.FaviconUrl),
            LogoUrl = HostForm.Ascii(homepage.LogoUrl),
            ContactInfo = new ContactInfo
            {
                Email = emails,
                Phone = [.. phones.Select(p => p.Display)],
                Phones = phones,
                EmailsDetail = [.. emails.Select(email => new EmailContact(
                    email, EmailKind.Of(email), PagesWith(pages, p => p.Emails.Contains(email)), DeliverableDomain: null))],
            },
            SocialLinks = socialLinks,
            SocialProfiles = ProfilesOf(socialLinks, pages),
            Company = CompanyMerge.Merge(pages),
            TechStack = StackOf(technologies),
            Performance = homepage.Performance,
            FinalUrl = HostForm.Ascii(page.FinalUrl),
            HttpStatus = page.StatusCode,
            RedirectChain = [.. page.RedirectChain.Select(HostForm.Ascii)],
            Server = Header(page.Headers, "Server"),
            PoweredBy = Header(page.Headers, "X-Powered-By"),
            PageBytes = page.Bytes,
            FetchMs = page.ElapsedMs,
            Technologies = technologies,
            PagesScanned = [.. pages.Select(p => HostForm.Ascii(p.Page.FinalUrl)).Distinct(StringComparer.Ordinal)],
        };
    }

    /// The v1 `tech_stack` lists of a technology list.
    public static TechStack StackOf(IReadOnlyList<DetectedTechnology> technologies)
    {
        List<string> In(string bucket) => [.. technologies
            .Where(t => t.Categories.Any(c => TechnologyCategories.BucketFor(c) == bucket))
            .Select(t => t.Name)];

        return new TechStack
        {
            Cms = In(TechnologyCategories.Cms),
            Frameworks = In(TechnologyCategories.Frameworks),
            Analytics = In(TechnologyCategories.Analytics),
            Widgets = In(TechnologyCategories.Widgets),
        };
    }

    private static List<DetectedTechnology> MergeTechnologies(IEnumerable<DetectedTechnology> all) =>
        [.. all
            .GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .Select(MergeTechnology)
            .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];

    // One technology as seen on several pages (the homepage first): the first page's version with its source, the
    // strongest confidence (seen wins a tie with implied), and each page's evidence, a signal repeated on several
    // pages kept once with the first page that showed it.
    private static DetectedTechnology MergeTechnology(IGrouping<string, DetectedTechnology> pages)
    {
        var versioned = pages.FirstOrDefault(t => t.Version is not null);
        var strongest = pages
            .OrderByDescending(t => t.Confidence)
            .ThenBy(t => t.ConfidenceSource == ConfidenceSources.Seen ? 0 : 1)
            .First();
        return pages.First() with
        {
            Version = versioned?.Version,
            VersionSource = versioned?.VersionSource,
            Confidence = strongest.Confidence,
            ConfidenceSource = strongest.ConfidenceSource,
            ImpliedBy = [.. pages.SelectMany(t => t.ImpliedBy).Distinct(StringComparer.OrdinalIgnoreCase)],
            Evidence = [.. pages.SelectMany(t => t.Evidence).DistinctBy(e => (e.Kind, e.Name, e.Match))],
        };
    }

    private static SocialLinks MergeSocial(List<PageExtraction> pages)
    {
        string? First(Func<SocialLinks, string?> pick) =>
            HostForm.Ascii(pages.Select(p => pick(p.SocialLinks)).FirstOrDefault(v => v is not null));

        return new SocialLinks
        {
            Facebook = First(s => s.Facebook),
            Twitter = First(s => s.Twitter),
            Linkedin = First(s => s.Linkedin),
            Instagram = First(s => s.Instagram),
            Youtube = First(s => s.Youtube),
            Tiktok = First(s => s.Tiktok),
            Pinterest = First(s => s.Pinterest),
        };
    }

    /// The pages a fact was found on, each once, in the order they were read.
    private static List<string> PagesWith(List<PageExtraction> pages, Func<PageExtraction, bool> has) =>
        [.. pages.Where(has).Select(p => p.Page.FinalUrl.AbsoluteUri).Distinct(StringComparer.Ordinal)];

    private static List<SocialProfile> ProfilesOf(SocialLinks links, List<PageExtraction> pages)
    {
        var chosen = new (string Platform, string? Url)[]
        {
            ("facebook", links.Facebook), ("twitter", links.Twitter), ("linkedin", links.Linkedin),
            ("instagram", links.Instagram), ("youtube", links.Youtube), ("tiktok", links.Tiktok),
            ("pinterest", links.Pinterest),
        };

        return [.. chosen.Where(c => c.Url is not null).Select(c => new SocialProfile(c.Platform, c.Url!,
            PagesWith(pages, p => p.SocialProfileUrls.Contains(c.Url!, StringComparer.OrdinalIgnoreCase))))];
    }

    private static string? Header(IReadOnlyDictionary<string, IReadOnlyList<string>> headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(", ", values) : null;
}
