using System.Globalization;
using System.Text;

namespace ScraperSky.Scanning.Robots;

/// A parsed robots.txt, read as RFC 9309 specifies: groups of one or more `user-agent` lines with their rules; the
/// groups naming the crawler's product token (case-insensitively, by whole token) merged, else the `*` groups, else
/// no rules. The longest matching rule decides and `allow` wins a tie; `*` matches any run of characters and a final
/// `$` anchors the end; paths compare case-sensitively after percent-encoding is normalised. `/robots.txt` is always
/// allowed. `Sitemap` lines (global, relative ones resolved) and `Crawl-delay` are kept.
public sealed class RobotsTxt
{
    /// The parse limit. RFC 9309 requires at least 500 KiB; the rest of a larger file is ignored.
    public const int MaxLength = 512 * 1024;

    private readonly IReadOnlyList<Group> _groups;

    private RobotsTxt(IReadOnlyList<Group> groups, IReadOnlyList<string> sitemaps)
    {
        _groups = groups;
        Sitemaps = sitemaps;
    }

    /// No robots.txt (a 4xx answer): everything is allowed.
    public static RobotsTxt AllowAll { get; } = new([], []);

    /// robots.txt could not be read (a 5xx answer, or the server is unreachable): everything is disallowed.
    public static RobotsTxt DisallowAll { get; } = new([new Group(["*"], [new Rule(false, "/")])], []);

    public IReadOnlyList<string> Sitemaps { get; }

    public static RobotsTxt Parse(string content, Uri? baseUri = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = content.AsSpan();
        if (text.Length > MaxLength)
        {
            // Drop the line the limit cut through: half a rule could mean something else.
            text = text[..MaxLength];
            var lastBreak = text.LastIndexOfAny('\n', '\r');
            text = lastBreak >= 0 ? text[..lastBreak] : [];
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var groups = new List<Group>();
        var sitemaps = new List<string>();
        Group? current = null;
        var expectingMoreAgents = false;

        foreach (var rawLine in text.EnumerateLines())
        {
            var line = rawLine;
            var hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim().ToString();
            switch (KeyOf(key))
            {
                case Key.UserAgent:
                    if (current is null || !expectingMoreAgents)
                    {
                        current = new Group([], []);
                        groups.Add(current);
                    }

                    current.Agents.Add(AgentToken(value));
                    expectingMoreAgents = true;
                    break;
                case Key.Allow or Key.Disallow when current is not null:
                    expectingMoreAgents = false;
                    // An empty rule matches nothing (`Disallow:` alone allows everything).
                    if (value.Length > 0)
                    {
                        current.Rules.Add(new Rule(KeyOf(key) == Key.Allow, NormalizePath(value)));
                    }

                    break;
                case Key.CrawlDelay when current is not null:
                    expectingMoreAgents = false;
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                        && seconds >= 0 && seconds <= 86400)
                    {
                        current.CrawlDelay ??= TimeSpan.FromSeconds(seconds);
                    }

                    break;
                case Key.Sitemap:
                    if (ResolveSitemap(value, baseUri) is { } sitemap && !sitemaps.Contains(sitemap))
                    {
                        sitemaps.Add(sitemap);
                    }

                    break;
            }
        }

        return new RobotsTxt(groups, sitemaps);
    }

    /// The rules that apply to a crawler with this product token (e.g. `ScraperSky`).
    public RobotsRules ForAgent(string productToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(productToken);
        var token = AgentToken(productToken);
        var matching = _groups.Where(g => g.Agents.Any(a => a != "*" && a.Equals(token, StringComparison.OrdinalIgnoreCase))).ToList();
        if (matching.Count == 0)
        {
            matching = [.. _groups.Where(g => g.Agents.Contains("*"))];
        }

        return new RobotsRules(
            [.. matching.SelectMany(g => g.Rules)],
            matching.Select(g => g.CrawlDelay).FirstOrDefault(d => d is not null));
    }

    public bool IsAllowed(string productToken, string pathAndQuery) => ForAgent(productToken).IsAllowed(pathAndQuery);

    /// The product token of a `user-agent` value: its leading run of letters, `_` and `-` ("Googlebot/2.1" is
    /// "Googlebot"), or `*`.
    private static string AgentToken(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('*'))
        {
            return "*";
        }

        var end = 0;
        while (end < trimmed.Length && (char.IsAsciiLetter(trimmed[end]) || trimmed[end] is '_' or '-'))
        {
            end++;
        }

        return trimmed[..end];
    }

    private static string? ResolveSitemap(string value, Uri? baseUri)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return absolute.AbsoluteUri;
        }

        return baseUri is not null && value.Length > 0 && Uri.TryCreate(baseUri, value, out var resolved)
            && resolved.Scheme is "http" or "https"
            ? resolved.AbsoluteUri
            : null;
    }

    private static Key KeyOf(ReadOnlySpan<char> key)
    {
        Span<char> lower = stackalloc char[Math.Min(key.Length, 32)];
        if (key.Length > 32)
        {
            return Key.Other;
        }

        key.ToLowerInvariant(lower);
        return lower switch
        {
            "user-agent" or "useragent" or "user agent" => Key.UserAgent,
            "allow" => Key.Allow,
            // Common misspellings seen in the wild; RFC 9309 lets crawlers be lenient here.
            "disallow" or "dissallow" or "dissalow" or "disalow" or "diasllow" or "disallaw" => Key.Disallow,
            "sitemap" or "site-map" => Key.Sitemap,
            "crawl-delay" or "crawldelay" => Key.CrawlDelay,
            _ => Key.Other,
        };
    }

    /// Brings a path or pattern to one spelling: percent-encoded octets of unreserved characters decoded, other
    /// escapes upper-cased, non-ASCII and characters not allowed in a URI percent-encoded as UTF-8 (RFC 9309 2.2.2).
    internal static string NormalizePath(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && char.IsAsciiHexDigit(value[i + 1]) && char.IsAsciiHexDigit(value[i + 2]))
            {
                var octet = (char)Convert.ToByte(value.Substring(i + 1, 2), 16);
                if (char.IsAsciiLetterOrDigit(octet) || octet is '-' or '.' or '_' or '~')
                {
                    builder.Append(octet);
                }
                else
                {
                    builder.Append('%').Append(char.ToUpperInvariant(value[i + 1])).Append(char.ToUpperInvariant(value[i + 2]));
                }

                i += 2;
            }
            else if (c > 0x7E || c <= 0x20 || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}')
            {
                var length = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
                    ? Encoding.UTF8.GetBytes(value.AsSpan(i, 2), utf8)
                    : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
                if (length == 4)
                {
                    i++;
                }

                foreach (var b in utf8[..length])
                {
                    builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private enum Key
    {
        Other,
        UserAgent,
        Allow,
        Disallow,
        Sitemap,
        CrawlDelay,
    }

    private sealed class Group(List<string> agents, List<Rule> rules)
    {
        public List<string> Agents { get; } = agents;
        public List<Rule> Rules { get; } = rules;
        public TimeSpan? CrawlDelay { get; set; }
    }
}

internal sealed record Rule(bool Allow, string Pattern);

/// The merged rules for one crawler.
public sealed class RobotsRules
{
    private readonly IReadOnlyList<Rule> _rules;

    internal RobotsRules(IReadOnlyList<Rule> rules, TimeSpan? crawlDelay)
    {
        _rules = rules;
        CrawlDelay = crawlDelay;
    }

    public TimeSpan? CrawlDelay { get; }

    public bool IsAllowed(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var path = pathAndQuery.Length == 0 ? "/" : RobotsTxt.NormalizePath(pathAndQuery);
        if (path == "/robots.txt")
        {
            return true;
        }

        // One scratch buffer for every rule: a file at the parse limit holds thousands of them.
        var positions = path.Length < 512 ? stackalloc int[path.Length + 1] : new int[path.Length + 1];
        var longestAllow = -1;
        var longestDisallow = -1;
        foreach (var rule in _rules)
        {
            if (rule.Pattern.Length > (rule.Allow ? longestAllow : longestDisallow) && Matches(path, rule.Pattern, positions))
            {
                if (rule.Allow)
                {
                    longestAllow = rule.Pattern.Length;
                }
                else
                {
                    longestDisallow = rule.Pattern.Length;
                }
            }
        }

        return longestDisallow < 0 || longestAllow >= longestDisallow;
    }

    /// Prefix match with `*` (any run) and a final `$` (end of path). Tracks the set of path positions reachable after
    /// each pattern character, so it runs in O(path × pattern) with no backtracking blow-up.
    private static bool Matches(string path, string pattern, Span<int> positions)
    {
        var count = 1;
        positions[0] = 0;
        for (var j = 0; j < pattern.Length; j++)
        {
            var p = pattern[j];
            if (p == '$' && j == pattern.Length - 1)
            {
                return positions[count - 1] == path.Length;
            }

            if (p == '*')
            {
                var first = positions[0];
                count = path.Length - first + 1;
                for (var i = 0; i < count; i++)
                {
                    positions[i] = first + i;
                }

                continue;
            }

            var next = 0;
            for (var i = 0; i < count; i++)
            {
                var at = positions[i];
                if (at < path.Length && path[at] == p)
                {
                    positions[next++] = at + 1;
                }
            }

            if (next == 0)
            {
                return false;
            }

            count = next;
        }

        return true;
    }
}
