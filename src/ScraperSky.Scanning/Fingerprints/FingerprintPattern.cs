using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ScraperSky.Scanning.Extraction;

namespace ScraperSky.Scanning.Fingerprints;

/// One pattern of the Wappalyzer schema: a JavaScript-flavoured, case-insensitive regex followed by optional
/// `\;version:\1` and `\;confidence:50` tags. The regex is built on first use, so loading thousands of rules stays
/// cheap and only patterns whose prefilter literal appears on some page ever pay for compilation.
internal sealed class FingerprintPattern
{
    // How long the backtracking engine may take for one match before the linear engine answers instead: a match
    // never ends in a miss because the machine was busy (a starved thread reached 100 ms with a normal page).
    private static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(100);

    // For the rare pattern the linear engine cannot run (look-arounds, backreferences: none in the shipped rules), a
    // second try with the backtracking engine, ten times longer, after which the pattern misses.
    private static readonly TimeSpan LastResortTimeout = TimeSpan.FromSeconds(1);

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    private static readonly Regex NeverMatches = new("(?!)", RegexOptions.None, BacktrackingTimeout);

    private const int MaxLiteralCheckedChars = 4096;
    private const int WindowMarginChars = 512;

    private Regex? _regex;
    private Regex? _fallback;

    private FingerprintPattern(string source, string? versionTemplate, int confidence)
    {
        Source = source;
        VersionTemplate = versionTemplate;
        Confidence = confidence;
        Literals = source.Length == 0 ? null : RequiredLiterals.Find(source);
    }

    public string Source { get; }

    public string? VersionTemplate { get; }

    public int Confidence { get; }

    /// Per top-level alternative, lower-cased strings that all occur in every input the alternative can match; null
    /// when some alternative has none and the regex must always run.
    public IReadOnlyList<IReadOnlyList<string>>? Literals { get; }

    public static FingerprintPattern Parse(string raw)
    {
        var parts = raw.Split("\\;");
        string? version = null;
        var confidence = 100;
        foreach (var tag in parts.AsSpan(1))
        {
            if (tag.StartsWith("version:", StringComparison.Ordinal))
            {
                version = tag["version:".Length..];
            }
            else if (tag.StartsWith("confidence:", StringComparison.Ordinal)
                && int.TryParse(tag.AsSpan("confidence:".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c))
            {
                confidence = Math.Clamp(c, 0, 100);
            }
        }

        return new FingerprintPattern(parts[0], string.IsNullOrEmpty(version) ? null : version, confidence);
    }

    /// Matches <paramref name="input"/> (a slice of a string: a capped page is not copied to be matched); on success
    /// <paramref name="version"/> is the filled-in version template.
    public bool TryMatch(ReadOnlyMemory<char> input, out string? version) => TryMatch(input, out version, out _);

    /// As <see cref="TryMatch(ReadOnlyMemory{char}, out string?)"/>, with where in <paramref name="input"/> the match
    /// lies (the whole input for an empty pattern, which matches any value).
    public bool TryMatch(ReadOnlyMemory<char> input, out string? version, out Range matched)
    {
        version = null;
        matched = Range.All;
        if (Source.Length == 0)
        {
            return true;
        }

        // A short input (a script URL, a meta value, a header) is searched for the pattern's literals first: far cheaper
        // than a regex call, which starts by reading the clock for its timeout.
        if (Literals is { } literals && input.Length <= MaxLiteralCheckedChars && !MayContainMatch(input.Span, literals))
        {
            return false;
        }

        try
        {
            return TryMatch(GetRegex(), input, out version, out matched);
        }
        catch (RegexMatchTimeoutException)
        {
            // Out of time (a catastrophic pattern on a hostile page, or a normal one on a starved machine): the linear
            // engine finds the same match in time proportional to the input, whatever the load.
        }

        try
        {
            return TryMatch(GetFallback(), input, out version, out matched);
        }
        catch (RegexMatchTimeoutException)
        {
            (version, matched) = (null, Range.All);
            return false;
        }
    }

    private bool TryMatch(Regex regex, ReadOnlyMemory<char> input, out string? version, out Range matched)
    {
        version = null;
        matched = Range.All;
        Match? match;
        int start;
        if (MemoryMarshal.TryGetString(input, out var text, out start, out var length))
        {
            match = regex.Match(text, start, length);
        }
        else if (!TryMatchInPlace(regex, input.Span, out match, out start, out matched))
        {
            return false;
        }
        else if (match is null)
        {
            return true;
        }

        if (!match.Success)
        {
            return false;
        }

        if (VersionTemplate is not null)
        {
            version = FillVersion(VersionTemplate, match);
        }

        matched = new Range(match.Index - start, match.Index - start + match.Length);
        return true;
    }

    /// A page's text is a pooled buffer (<see cref="Fetching.PageText"/>), not a string, and copying it into one for
    /// each pattern run on it cost half a megabyte of large-object heap a time. The span is searched where it lies (a
    /// span is the whole input, as the string slice was). Only a hit whose groups fill a version is matched again as a
    /// string: the hit with a margin for look-arounds, trusted only when it finds the very same span, else the whole
    /// input. Without groups to read, <paramref name="match"/> is null and <paramref name="matched"/> the hit; with them,
    /// the match's index less <paramref name="offset"/> is its place in <paramref name="input"/>.
    private bool TryMatchInPlace(Regex regex, ReadOnlySpan<char> input, out Match? match, out int offset, out Range matched)
    {
        (match, offset, matched) = (null, 0, Range.All);
        var hits = regex.EnumerateMatches(input);
        if (!hits.MoveNext())
        {
            return false;
        }

        var hit = hits.Current;
        matched = new Range(hit.Index, hit.Index + hit.Length);
        if (VersionTemplate is null)
        {
            return true;
        }

        var from = Math.Max(0, hit.Index - WindowMarginChars);
        var to = Math.Min(input.Length, hit.Index + hit.Length + WindowMarginChars);
        match = regex.Match(input[from..to].ToString(), hit.Index - from);
        if (match.Index != hit.Index - from || match.Length != hit.Length || !match.Success)
        {
            (match, from) = (regex.Match(input.ToString(), hit.Index), 0);
        }

        offset = -from;
        return true;
    }

    /// Whether some alternative's literals all occur in <paramref name="input"/> (an alternative is given up at its
    /// first missing literal; the framework's ignore-case search was over half of this stage's pattern matching).
    private static bool MayContainMatch(ReadOnlySpan<char> input, IReadOnlyList<IReadOnlyList<string>> literals)
    {
        foreach (var branch in literals)
        {
            var all = true;
            foreach (var literal in branch)
            {
                if (!OrdinalIgnoreCase.Contains(input, literal))
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    private Regex GetRegex()
    {
        var regex = Volatile.Read(ref _regex);
        if (regex is null)
        {
            regex = Build(Source);
            Volatile.Write(ref _regex, regex);
        }

        return regex;
    }

    private static Regex Build(string source)
    {
        // Backtracking, compiled (only patterns whose literal turned up on some page ever get here) and bounded by a
        // match timeout: its vectorised search for a pattern's leading literal makes a miss over a 250 KB page far
        // cheaper than the non-backtracking engine's scan (the shipped rules' stage took 4-5 times as long with it).
        try
        {
            return new Regex(source, Options | RegexOptions.Compiled, BacktrackingTimeout);
        }
        catch (ArgumentException)
        {
            // A pattern .NET cannot read (from a user's dataset) detects nothing rather than failing every scan.
            return NeverMatches;
        }
    }

    /// The engine for a match the backtracking one ran out of time for, built on the first such match: the
    /// non-backtracking engine (linear in the input, no timeout; the same matches and groups), or for a pattern it
    /// cannot run the backtracking engine with <see cref="LastResortTimeout"/>.
    private Regex GetFallback()
    {
        var regex = Volatile.Read(ref _fallback);
        if (regex is null)
        {
            try
            {
                regex = new Regex(Source, Options | RegexOptions.NonBacktracking);
            }
            catch (NotSupportedException)
            {
                regex = new Regex(Source, Options, LastResortTimeout);
            }

            Volatile.Write(ref _fallback, regex);
        }

        return regex;
    }

    /// Wappalyzer's version template: `\1` is group 1; `\1?a:b` (to the end of the template) is `a` when group 1
    /// matched and `b` otherwise, and `a` or `b` may refer to groups themselves. Resolved group by group, as Wappalyzer does.
    internal static string? FillVersion(string template, Match match)
    {
        var version = template;
        for (var group = 1; group <= 9 && version.Contains('\\'); group++)
        {
            var value = group < match.Groups.Count && match.Groups[group].Success ? match.Groups[group].Value : string.Empty;
            var reference = "\\" + group.ToString(CultureInfo.InvariantCulture);
            var ternary = version.IndexOf(reference + "?", StringComparison.Ordinal);
            if (ternary >= 0)
            {
                var colon = version.IndexOf(':', ternary + 3);
                if (colon > ternary + 3)
                {
                    var chosen = value.Length > 0 ? version[(ternary + 3)..colon] : version[(colon + 1)..];
                    version = version[..ternary] + chosen;
                }
            }

            version = version.Replace(reference, value, StringComparison.Ordinal);
        }

        version = version.Trim();
        return version.Length is 0 or > 32 ? null : version;
    }
}
