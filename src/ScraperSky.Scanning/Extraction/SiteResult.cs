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
        var emailPages = PagesOf(pages, p => p.Emails, StringComparer.Ordinal);
        var phonePages = PagesOf(pages, p => p.Phones.Select(phone => phone.E164), StringComparer.Ordinal);
        var phones = pages.SelectMany(p => p.Phones).DistinctBy(p => p.E164)
            .Select(phone => PhoneFinder.Describe(phone) with { Pages = phonePages[phone.E164] })
            .ToList();
        var socialLinks = MergeSocial(pages);
        var technologies = MergeTechnologies(pages);
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
                    email, EmailKind.Of(email), emailPages[email], DeliverableDomain: null))],
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

    /// The v1 `tech_stack` lists of a technology list: each technology once per list its categories name, in the
    /// list's order (one pass over the technologies instead of one per list).
    public static TechStack StackOf(IReadOnlyList<DetectedTechnology> technologies)
    {
        List<string> cms = [], frameworks = [], analytics = [], widgets = [];
        foreach (var technology in technologies)
        {
            bool inCms = false, inFrameworks = false, inAnalytics = false, inWidgets = false;
            foreach (var category in technology.Categories)
            {
                switch (TechnologyCategories.BucketFor(category))
                {
                    case TechnologyCategories.Cms: inCms = true; break;
                    case TechnologyCategories.Frameworks: inFrameworks = true; break;
                    case TechnologyCategories.Analytics: inAnalytics = true; break;
                    case TechnologyCategories.Widgets: inWidgets = true; break;
                }
            }

            AddIf(cms, inCms, technology.Name);
            AddIf(frameworks, inFrameworks, technology.Name);
            AddIf(analytics, inAnalytics, technology.Name);
            AddIf(widgets, inWidgets, technology.Name);
        }

        return new TechStack { Cms = cms, Frameworks = frameworks, Analytics = analytics, Widgets = widgets };

        static void AddIf(List<string> list, bool add, string name)
        {
            if (add)
            {
                list.Add(name);
            }
        }
    }

    private static List<DetectedTechnology> MergeTechnologies(List<PageExtraction> pages)
    {
        var byName = new Dictionary<string, List<DetectedTechnology>>(StringComparer.OrdinalIgnoreCase);
        foreach (var page in pages)
        {
            foreach (var technology in page.Technologies)
            {
                if (!byName.TryGetValue(technology.Name, out var sightings))
                {
                    byName[technology.Name] = sightings = [];
                }

                sightings.Add(technology);
            }
        }

        return [.. byName.Values.Select(MergeTechnology).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
    }

    // One technology as seen on several pages (the homepage first): the first page's version with its source, the
    // strongest confidence (the first page's of the highest, seen winning a tie with implied), and each page's
    // evidence, a signal repeated on several pages kept once with the first page that showed it. Seen on one page, it
    // is that page's technology as it is: a page's evidence and implying technologies are already distinct, and its
    // version comes with its source.
    private static DetectedTechnology MergeTechnology(List<DetectedTechnology> pages)
    {
        if (pages.Count == 1)
        {
            return pages[0];
        }

        DetectedTechnology? versioned = null;
        var strongest = pages[0];
        foreach (var technology in pages)
        {
            versioned ??= technology.Version is not null ? technology : null;
            if (technology.Confidence > strongest.Confidence
                || (technology.Confidence == strongest.Confidence
                    && technology.ConfidenceSource == ConfidenceSources.Seen && strongest.ConfidenceSource != ConfidenceSources.Seen))
            {
                strongest = technology;
            }
        }

        return pages[0] with
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

    /// Per fact, the pages it was found on, each once, in the order they were read: one pass over the pages' facts,
    /// not a search of every page for each fact.
    private static Dictionary<string, List<string>> PagesOf(
        List<PageExtraction> pages, Func<PageExtraction, IEnumerable<string>> facts, StringComparer comparer)
    {
        var pagesOf = new Dictionary<string, List<string>>(comparer);
        foreach (var page in pages)
        {
            var url = page.Page.FinalUrl.AbsoluteUri;
            foreach (var fact in facts(page))
            {
                if (!pagesOf.TryGetValue(fact, out var found))
                {
                    pagesOf[fact] = found = [];
                }

                if (!found.Contains(url, StringComparer.Ordinal))
                {
                    found.Add(url);
                }
            }
        }

        return pagesOf;
    }

    private static List<SocialProfile> ProfilesOf(SocialLinks links, List<PageExtraction> pages)
    {
        var chosen = new (string Platform, string? Url)[]
        {
            ("facebook", links.Facebook), ("twitter", links.Twitter), ("linkedin", links.Linkedin),
            ("instagram", links.Instagram), ("youtube", links.Youtube), ("tiktok", links.Tiktok),
            ("pinterest", links.Pinterest),
        };

        var profilePages = PagesOf(pages, p => p.SocialProfileUrls, StringComparer.OrdinalIgnoreCase);
        return [.. chosen.Where(c => c.Url is not null).Select(c => new SocialProfile(c.Platform, c.Url!,
            profilePages.TryGetValue(c.Url!, out var found) ? found : []))];
    }

    private static string? Header(IReadOnlyDictionary<string, IReadOnlyList<string>> headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(", ", values) : null;
}
