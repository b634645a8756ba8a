using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ScraperSky.Scanning.Fingerprints;

/// One pattern of the Wappalyzer schema: a JavaScript-flavoured, case-insensitive regex followed by optional
/// `\;version:\1` and `\;confidence:50` tags. The regex is built on first use, so loading thousands of rules stays
/// cheap and only patterns whose prefilter literal appears on some page ever pay for construction.
internal sealed class FingerprintPattern
{
    private static readonly TimeSpan FallbackTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly Regex NeverMatches = new("(?!)", RegexOptions.None, FallbackTimeout);

    private Regex? _regex;

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

    /// Lower-cased strings of which at least one occurs in every input the regex can match; null when no such
    /// literal could be derived and the regex must always run.
    public IReadOnlyList<string>? Literals { get; }

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

    /// Matches <paramref name="input"/>; on success <paramref name="version"/> is the filled-in version template.
    public bool TryMatch(string input, out string? version)
    {
        version = null;
        if (Source.Length == 0)
        {
            return true;
        }

        Match match;
        try
        {
            match = GetRegex().Match(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }

        if (!match.Success)
        {
            return false;
        }

        if (VersionTemplate is not null)
        {
            version = FillVersion(VersionTemplate, match);
        }

        return true;
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
        const RegexOptions options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        try
        {
            return new Regex(source, options | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            // Lookarounds and backreferences need the backtracking engine; the timeout bounds what a hostile page can cost.
        }
        catch (ArgumentException)
        {
            // Either a JavaScript construct .NET rejects outright (handled below) or one only NonBacktracking rejects.
        }

        try
        {
            return new Regex(source, options, FallbackTimeout);
        }
        catch (ArgumentException)
        {
            // A pattern .NET cannot read (from a user's dataset) detects nothing rather than failing every scan.
            return NeverMatches;
        }
    }

    /// Wappalyzer's version template: `\1` is group 1, `\1?a:b` is `a` when group 1 matched and `b` otherwise.
    internal static string? FillVersion(string template, Match match)
    {
        var result = new StringBuilder(template.Length + 8);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && i + 1 < template.Length && char.IsAsciiDigit(template[i + 1]))
            {
                var group = match.Groups[template[i + 1] - '0'];
                var value = group.Success ? group.Value : string.Empty;
                i++;
                if (i + 1 < template.Length && template[i + 1] == '?')
                {
                    var colon = template.IndexOf(':', i + 2);
                    var whenSet = colon < 0 ? template[(i + 2)..] : template[(i + 2)..colon];
                    var end = colon < 0 ? template.Length : FindTernaryEnd(template, colon + 1);
                    var whenUnset = colon < 0 ? string.Empty : template[(colon + 1)..end];
                    result.Append(value.Length > 0 ? whenSet : whenUnset);
                    i = end - 1;
                }
                else
                {
                    result.Append(value);
                }
            }
            else
            {
                result.Append(c);
            }
        }

        var version = result.ToString().Trim();
        return version.Length is 0 or > 32 ? null : version;
    }

    private static int FindTernaryEnd(string template, int from)
    {
        var next = template.IndexOf('\\', from);
        return next < 0 ? template.Length : next;
    }
}
