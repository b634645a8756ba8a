using System.Globalization;
using ScraperSky.Scanning;

namespace ScraperSky.Data.Changes;

/// Compares two completed scans of one domain. Technologies respect confidence: a technology is added or removed
/// only when the scan that reports it does so with at least <see cref="TechnologyConfidence"/> and the other scan does
/// not report it at all, so a weak signal that comes and goes is never churn. A version change needs both scans to
/// name a version (a version that is read on one scan and not the next is not news either).
public static class ChangeDetector
{
    public const int TechnologyConfidence = 50;

    public static IReadOnlyList<DetectedChange> Compare(SiteMetadata previous, SiteMetadata current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var changes = new List<DetectedChange>();
        Technologies(previous.Technologies, current.Technologies, changes);
        Sets(previous.ContactInfo.Email, current.ContactInfo.Email, "emails", ChangeTypes.EmailAdded, ChangeTypes.EmailRemoved, changes);
        Sets(previous.ContactInfo.Phone, current.ContactInfo.Phone, "phones", ChangeTypes.PhoneAdded, ChangeTypes.PhoneRemoved, changes);
        Social(previous.SocialLinks, current.SocialLinks, changes);
        Text(previous.Title, current.Title, "title", ChangeTypes.TitleChanged, StringComparison.Ordinal, changes);
        Text(previous.Description, current.Description, "description", ChangeTypes.DescriptionChanged, StringComparison.Ordinal, changes);
        Text(previous.Language, current.Language, "language", ChangeTypes.LanguageChanged, StringComparison.OrdinalIgnoreCase, changes);
        // A count only when both scans read the sitemaps: a scan that skipped them says nothing about their size.
        if (previous.Sitemaps is { } before && current.Sitemaps is { } after && before.Urls != after.Urls)
        {
            changes.Add(new DetectedChange(ChangeTypes.SitemapUrlsChanged, "sitemap_urls",
                before.Urls.ToString(CultureInfo.InvariantCulture), after.Urls.ToString(CultureInfo.InvariantCulture)));
        }

        // Only a redirect to another host is a change; a new path or scheme on the same host is not.
        if (HostOf(previous.FinalUrl) is { } fromHost && HostOf(current.FinalUrl) is { } toHost
            && !string.Equals(fromHost, toHost, StringComparison.OrdinalIgnoreCase))
        {
            changes.Add(new DetectedChange(ChangeTypes.FinalUrlChanged, "final_url", previous.FinalUrl, current.FinalUrl));
        }

        return changes;
    }

    private static void Technologies(
        IReadOnlyList<DetectedTechnology> previous, IReadOnlyList<DetectedTechnology> current, List<DetectedChange> changes)
    {
        var before = ByName(previous);
        var after = ByName(current);
        foreach (var (name, now) in after)
        {
            if (!before.TryGetValue(name, out var then))
            {
                if (now.Confidence >= TechnologyConfidence)
                {
                    changes.Add(new DetectedChange(ChangeTypes.TechAdded, "technologies", null, Display(now)));
                }
            }
            else if (then.Version is { } from && now.Version is { } to && !string.Equals(from, to, StringComparison.Ordinal))
            {
                changes.Add(new DetectedChange(ChangeTypes.TechVersionChanged, "technologies", Display(then), Display(now)));
            }
        }

        foreach (var (name, then) in before)
        {
            if (!after.ContainsKey(name) && then.Confidence >= TechnologyConfidence)
            {
                changes.Add(new DetectedChange(ChangeTypes.TechRemoved, "technologies", Display(then), null));
            }
        }
    }

    private static Dictionary<string, DetectedTechnology> ByName(IReadOnlyList<DetectedTechnology> technologies)
    {
        var byName = new Dictionary<string, DetectedTechnology>(StringComparer.OrdinalIgnoreCase);
        foreach (var technology in technologies)
        {
            byName.TryAdd(technology.Name, technology);
        }

        return byName;
    }

    private static string Display(DetectedTechnology technology) =>
        technology.Version is null ? technology.Name : $"{technology.Name} {technology.Version}";

    private static void Sets(
        IReadOnlyList<string> previous, IReadOnlyList<string> current, string field, string added, string removed,
        List<DetectedChange> changes)
    {
        var before = previous.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var after = current.ToHashSet(StringComparer.OrdinalIgnoreCase);
        changes.AddRange(current.Where(v => !before.Contains(v)).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(v => new DetectedChange(added, field, null, v)));
        changes.AddRange(previous.Where(v => !after.Contains(v)).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(v => new DetectedChange(removed, field, v, null)));
    }

    private static void Social(SocialLinks previous, SocialLinks current, List<DetectedChange> changes)
    {
        (string Network, string? From, string? To)[] networks =
        [
            ("facebook", previous.Facebook, current.Facebook),
            ("twitter", previous.Twitter, current.Twitter),
            ("linkedin", previous.Linkedin, current.Linkedin),
            ("instagram", previous.Instagram, current.Instagram),
            ("youtube", previous.Youtube, current.Youtube),
            ("tiktok", previous.Tiktok, current.Tiktok),
            ("pinterest", previous.Pinterest, current.Pinterest),
        ];
        foreach (var (network, from, to) in networks)
        {
            Text(from, to, $"social_links.{network}", ChangeTypes.SocialChanged, StringComparison.OrdinalIgnoreCase, changes);
        }
    }

    private static void Text(string? previous, string? current, string field, string type, StringComparison comparison, List<DetectedChange> changes)
    {
        var from = string.IsNullOrWhiteSpace(previous) ? null : previous.Trim();
        var to = string.IsNullOrWhiteSpace(current) ? null : current.Trim();
        if (!string.Equals(from, to, comparison))
        {
            changes.Add(new DetectedChange(type, field, from, to));
        }
    }

    private static string? HostOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.IdnHost.TrimEnd('.') : null;
}
