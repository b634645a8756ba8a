using System.Buffers;
namespace ScraperSky.Scanning.Extraction;

public enum SocialPlatform
{
    Facebook,
    Twitter,
    Linkedin,
    Instagram,
    Youtube,
    Tiktok,
    Pinterest,
}

/// Turns a link into a business profile on a social platform, in canonical form (`https://facebook.com/acme`), or
/// rejects it: share, intent, sharer and dialog links, embeds, single posts, and the platforms' own pages
/// (facebook.com/policies, twitter.com/home ...) are not profiles.
public static class SocialProfiles
{
    private static readonly HashSet<string> FacebookReserved = Set(
        "sharer", "sharer.php", "share.php", "share", "dialog", "plugins", "policies", "policy.php", "privacy", "help",
        "login", "login.php", "home.php", "tr", "events", "watch", "marketplace", "gaming", "legal", "terms", "about",
        "ads", "business", "pages", "groups", "hashtag", "photo.php", "photo", "video.php", "story.php", "permalink.php",
        "l.php", "v2.0", "v3.0", "signup", "recover", "careers", "settings", "notifications", "messages", "search",
        "fundraisers", "people", "media", "reel", "reels", "cookies", "profile.php", "places", "bookmarks");

    private static readonly HashSet<string> TwitterReserved = Set(
        "share", "intent", "home", "search", "hashtag", "i", "explore", "login", "signup", "tos", "privacy", "settings",
        "messages", "notifications", "compose", "widgets", "widgets.js", "about", "download", "jobs", "rules");

    private static readonly HashSet<string> InstagramReserved = Set(
        "p", "reel", "reels", "tv", "explore", "accounts", "about", "legal", "developer", "stories", "direct", "embed.js",
        "static", "web");

    private static readonly HashSet<string> PinterestReserved = Set(
        "pin", "search", "ideas", "today", "categories", "explore", "login", "business", "_", "about", "settings");

    public static bool TryParse(string url, out SocialPlatform platform, out string profile)
    {
        platform = default;
        profile = string.Empty;
        if (url.Length > 512 || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return TryParse(uri, out platform, out profile);
    }

    /// Cheap test whether a host belongs to one of the platforms at all, before any parsing.
    // Asked of every link of a page: one vectorised search instead of a search per platform.
    private static readonly string[] PlatformHostParts =
        ["facebook.", "fb.com", "twitter.", "linkedin.", "instagram.", "youtube.", "tiktok.", "pinterest."];

    private static readonly SearchValues<string> HostParts = SearchValues.Create(PlatformHostParts, StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> LinkMarkers =
        SearchValues.Create([.. PlatformHostParts, "x.com"], StringComparison.OrdinalIgnoreCase);

    public static bool IsPlatformHost(string host) =>
        host.AsSpan().ContainsAny(HostParts) || host.EndsWith("x.com", StringComparison.OrdinalIgnoreCase);

    /// Whether a link as written may lead to a platform host: every such link's text holds one of the host markers.
    public static bool MayLinkToPlatform(ReadOnlySpan<char> href) => href.ContainsAny(LinkMarkers);

    public static bool TryParse(Uri uri, out SocialPlatform platform, out string profile)
    {
        platform = default;
        profile = string.Empty;
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        var host = uri.Host.ToLowerInvariant();
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? canonical = null;
        if (IsHost(host, "facebook.com") || IsHost(host, "fb.com"))
        {
            platform = SocialPlatform.Facebook;
            canonical = Facebook(uri, segments);
        }
        else if (IsHost(host, "twitter.com") || IsHost(host, "x.com"))
        {
            // An x.com link is reported as X's own URL; the field keeps its v1 name `twitter`.
            platform = SocialPlatform.Twitter;
            var site = IsHost(host, "x.com") ? "https://x.com/" : "https://twitter.com/";
            canonical = FirstSegment(segments, TwitterReserved, 15) is { } handle ? site + handle.ToLowerInvariant() : null;
        }
        else if (IsHost(host, "linkedin.com"))
        {
            platform = SocialPlatform.Linkedin;
            canonical = segments.Length >= 2 && segments[0].ToLowerInvariant() is "company" or "in" or "school" or "showcase"
                && IsHandle(segments[1], 100)
                ? $"https://linkedin.com/{segments[0].ToLowerInvariant()}/{segments[1]}"
                : null;
        }
        else if (IsHost(host, "instagram.com"))
        {
            platform = SocialPlatform.Instagram;
            canonical = FirstSegment(segments, InstagramReserved, 30, allowDots: true) is { } handle ? "https://instagram.com/" + handle.ToLowerInvariant() : null;
        }
        else if (IsHost(host, "youtube.com"))
        {
            platform = SocialPlatform.Youtube;
            canonical = YouTube(segments);
        }
        else if (IsHost(host, "tiktok.com"))
        {
            platform = SocialPlatform.Tiktok;
            canonical = segments.Length >= 1 && segments[0].StartsWith('@') && segments[0].Length > 1 && IsHandle(segments[0][1..], 40, allowDots: true)
                && (segments.Length == 1 || !segments[1].Equals("video", StringComparison.OrdinalIgnoreCase))
                ? "https://tiktok.com/" + segments[0].ToLowerInvariant()
                : null;
        }
        else if (IsHost(host, "pinterest.com") || host.Contains(".pinterest.", StringComparison.Ordinal) || host.StartsWith("pinterest.", StringComparison.Ordinal))
        {
            platform = SocialPlatform.Pinterest;
            canonical = segments.Length is 1 or 2 && FirstSegment(segments, PinterestReserved, 30) is { } handle
                ? "https://pinterest.com/" + handle.ToLowerInvariant()
                : null;
        }

        if (canonical is null)
        {
            return false;
        }

        profile = canonical;
        return true;
    }

    private static string? Facebook(Uri uri, string[] segments)
    {
        if (segments.Length == 0)
        {
            return null;
        }

        var first = segments[0];
        if (first.Equals("profile.php", StringComparison.OrdinalIgnoreCase))
        {
            var id = QueryValue(uri.Query, "id");
            return id is not null && id.All(char.IsAsciiDigit) ? "https://facebook.com/profile.php?id=" + id : null;
        }

        if (first.Equals("pages", StringComparison.OrdinalIgnoreCase) && segments.Length >= 3 && segments[2].All(char.IsAsciiDigit))
        {
            return $"https://facebook.com/pages/{segments[1]}/{segments[2]}";
        }

        if (first.Equals("people", StringComparison.OrdinalIgnoreCase) && segments.Length >= 3 && segments[2].All(char.IsAsciiDigit))
        {
            return $"https://facebook.com/people/{segments[1]}/{segments[2]}";
        }

        // A page's own sub-pages (/acme/posts/123, /acme/photos) still name the page, but a bare post is not a profile.
        if (segments.Length > 1 && segments[1].ToLowerInvariant() is "posts" or "videos" or "photos" or "reviews" or "events")
        {
            return null;
        }

        return FirstSegment(segments, FacebookReserved, 80, allowDots: true) is { } page ? "https://facebook.com/" + page : null;
    }

    private static string? YouTube(string[] segments)
    {
        if (segments.Length == 0)
        {
            return null;
        }

        var first = segments[0];
        if (first.StartsWith('@') && first.Length > 1 && IsHandle(first[1..], 100, allowDots: true))
        {
            return "https://youtube.com/" + first;
        }

        if (segments.Length >= 2 && first.ToLowerInvariant() is "channel" or "c" or "user" && IsHandle(segments[1], 100))
        {
            return $"https://youtube.com/{first.ToLowerInvariant()}/{segments[1]}";
        }

        return null;
    }

    private static string? FirstSegment(string[] segments, HashSet<string> reserved, int maxLength, bool allowDots = false)
    {
        if (segments.Length == 0 || reserved.Contains(segments[0]))
        {
            return null;
        }

        var handle = segments[0].TrimStart('@');
        return IsHandle(handle, maxLength, allowDots) ? handle : null;
    }

    private static bool IsHandle(string value, int maxLength, bool allowDots = false) =>
        value.Length > 0 && value.Length <= maxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (allowDots && c == '.'))
        && !value.StartsWith('.') && !value.EndsWith('.');

    private static bool IsHost(string host, string domain) =>
        host == domain || host.EndsWith("." + domain, StringComparison.Ordinal);

    private static string? QueryValue(string query, string name)
    {
        foreach (var part in query.TrimStart('?').Split('&'))
        {
            var equals = part.IndexOf('=');
            if (equals > 0 && part.AsSpan(0, equals).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return part[(equals + 1)..];
            }
        }

        return null;
    }

    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.OrdinalIgnoreCase);
}
