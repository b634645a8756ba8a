using System.Globalization;
using System.Text;

namespace ScraperSky.Scanning.Robots;

/// A parsed robots.txt, read as RFC 9309 specifies: groups of one or more `user-agent` lines with their rules; the
/// groups naming the crawler's product token (case-insensitively, by whole token) merged, else the `*` groups, else
/// no rules. The longest matching rule decides and `allow` wins a tie; `*` matches any run of characters and a final
/// `$` anchors the end; paths compare case-sensitively after percent-encoding is normalised. `/robots.txt` is always
/// allowed. `Sitemap` lines (global, relative ones resolved) and `Crawl-delay` are kept. Matching a URL costs at most
/// one linear pass per rule (<see cref="MaxRules"/>, <see cref="MaxWildcardRules"/>, <see cref="MaxPatternLength"/>).
public sealed class RobotsTxt
{
    /// The parse limit. RFC 9309 requires at least 500 KiB; the rest of a larger file is ignored.
    public const int MaxLength = 512 * 1024;

    /// Rules applied to one crawler (its groups merged); later ones are ignored. Each costs at most one pass over the
    /// path and the pattern when a URL is checked.
    public const int MaxRules = 10_000;

    /// Of those, rules with a `*`: a literal rule usually fails on its first character, a wildcard rule may read the
    /// whole path, so these are fewer. Later ones are ignored.
    public const int MaxWildcardRules = 1_000;

    /// A longer pattern (normalised) is ignored: no URL we fetch has a path that long.
    public const int MaxPatternLength = 4_096;

    private readonly IReadOnlyList<Group> _groups;

    // The rules of the last product token asked for: a scan asks with one token for every page and sitemap it checks,
    // and gathering and sorting the rules each time was most of a check's cost. Replaced whole, so a reader on another
    // thread (AllowAll and DisallowAll are shared) sees a token with its own rules.
    private AgentRules? _lastAsked;

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
                    if (value.Length > 0 && value.Length <= MaxPatternLength
                        && NormalizePath(value) is { Length: <= MaxPatternLength } pattern)
                    {
                        current.Rules.Add(new Rule(KeyOf(key) == Key.Allow, pattern));
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
        if (Volatile.Read(ref _lastAsked) is { } last && string.Equals(last.ProductToken, productToken, StringComparison.Ordinal))
        {
            return last.Rules;
        }

        var rules = RulesFor(productToken);
        Volatile.Write(ref _lastAsked, new AgentRules(productToken, rules));
        return rules;
    }

    private RobotsRules RulesFor(string productToken)
    {
        var token = AgentToken(productToken);
        var matching = _groups.Where(g => g.Agents.Any(a => a != "*" && a.Equals(token, StringComparison.OrdinalIgnoreCase))).ToList();
        if (matching.Count == 0)
        {
            matching = [.. _groups.Where(g => g.Agents.Contains("*"))];
        }

        var rules = new List<Rule>();
        var wildcards = 0;
        foreach (var rule in matching.SelectMany(g => g.Rules))
        {
            if (rules.Count == MaxRules)
            {
                break;
            }

            if (rule.IsWildcard && ++wildcards > MaxWildcardRules)
            {
                continue;
            }

            rules.Add(rule);
        }

        return new RobotsRules(rules, matching.Select(g => g.CrawlDelay).FirstOrDefault(d => d is not null));
    }

    public bool IsAllowed(string productToken, string pathAndQuery) => ForAgent(productToken).IsAllowed(pathAndQuery);

    private sealed record AgentRules(string ProductToken, RobotsRules Rules);

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

/// One `allow` or `disallow` line, its pattern compiled for <see cref="RobotsRules"/>: the literal runs between `*`s
/// (consecutive stars are one), whether a final `$` anchors the end, and a KMP failure table per run so that matching
/// never backtracks. <see cref="Length"/> is the pattern's length as written (normalised), which ranks matches.
internal sealed class Rule
{
    public Rule(bool allow, string pattern)
    {
        Allow = allow;
        Pattern = pattern;
        Anchored = pattern.Length > 0 && pattern[^1] == '$';
        var body = Anchored ? pattern[..^1] : pattern;
        Segments = body.Split('*');
        IsWildcard = Segments.Length > 1;
        if (IsWildcard)
        {
            // Drop the empty runs that consecutive stars leave, keeping the first (the anchored prefix) and the last.
            Segments = [Segments[0], .. Segments[1..^1].Where(s => s.Length > 0), Segments[^1]];
            Failure = [.. Segments.Select(FailureTable)];
        }
    }

    public bool Allow { get; }
    public string Pattern { get; }
    public int Length => Pattern.Length;
    public bool Anchored { get; }
    public bool IsWildcard { get; }
    public string[] Segments { get; }
    public int[][] Failure { get; } = [];

    /// Whether the rule matches <paramref name="path"/>, in O(path + pattern): the first run must start the path,
    /// every later run is found at its leftmost place after the one before (leftmost is always right when `*` is the
    /// only wildcard), and an anchored last run must end the path without overlapping what came before.
    public bool Matches(string path)
    {
        var first = Segments[0];
        if (!path.AsSpan().StartsWith(first, StringComparison.Ordinal))
        {
            return false;
        }

        if (!IsWildcard)
        {
            return !Anchored || path.Length == first.Length;
        }

        var at = first.Length;
        for (var i = 1; i < Segments.Length - 1; i++)
        {
            var found = IndexOf(path, at, Segments[i], Failure[i]);
            if (found < 0)
            {
                return false;
            }

            at = found + Segments[i].Length;
        }

        var last = Segments[^1];
        if (Anchored)
        {
            return path.Length - last.Length >= at && path.AsSpan().EndsWith(last, StringComparison.Ordinal);
        }

        return last.Length == 0 || IndexOf(path, at, last, Failure[^1]) >= 0;
    }

    // Short runs go to the vectorised search (at most a run's length of work per character, so still linear);
    // longer ones to Knuth-Morris-Pratt, linear in the text searched and the run whatever either holds.
    private static int IndexOf(string text, int from, string run, int[] failure)
    {
        if (run.Length <= 16)
        {
            var found = text.AsSpan(from).IndexOf(run, StringComparison.Ordinal);
            return found < 0 ? -1 : from + found;
        }

        var matched = 0;
        for (var i = from; i < text.Length; i++)
        {
            while (matched > 0 && text[i] != run[matched])
            {
                matched = failure[matched - 1];
            }

            if (text[i] == run[matched] && ++matched == run.Length)
            {
                return i - run.Length + 1;
            }
        }

        return -1;
    }

    private static int[] FailureTable(string run)
    {
        var failure = new int[run.Length];
        var k = 0;
        for (var i = 1; i < run.Length; i++)
        {
            while (k > 0 && run[i] != run[k])
            {
                k = failure[k - 1];
            }

            if (run[i] == run[k])
            {
                k++;
            }

            failure[i] = k;
        }

        return failure;
    }
}

/// The merged rules for one crawler.
public sealed class RobotsRules
{
    private readonly Rule[] _rules;

    internal RobotsRules(IReadOnlyList<Rule> rules, TimeSpan? crawlDelay)
    {
        // Longest first: the first rule of each kind that matches is the longest match of that kind.
        _rules = [.. rules.OrderByDescending(r => r.Length)];
        CrawlDelay = crawlDelay;
    }

    public TimeSpan? CrawlDelay { get; }

    /// How many rules apply (after the caps of <see cref="RobotsTxt.MaxRules"/> and
    /// <see cref="RobotsTxt.MaxWildcardRules"/>).
    public int Count => _rules.Length;

    public bool IsAllowed(string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var path = pathAndQuery.Length == 0 ? "/" : RobotsTxt.NormalizePath(pathAndQuery);
        if (path == "/robots.txt")
        {
            return true;
        }

        // Longest first, so the first match decides, except that an allow as long as a matching disallow wins the tie.
        var longestDisallow = -1;
        foreach (var rule in _rules)
        {
            if (longestDisallow >= 0)
            {
                if (rule.Length < longestDisallow)
                {
                    break;
                }

                if (!rule.Allow)
                {
                    continue;
                }
            }

            if (rule.Matches(path))
            {
                if (rule.Allow)
                {
                    return true;
                }

                longestDisallow = rule.Length;
            }
        }

        return longestDisallow < 0;
    }
}
