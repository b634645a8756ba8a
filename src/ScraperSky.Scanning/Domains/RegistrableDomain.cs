using System.Globalization;
using System.Net;
using System.Reflection;

namespace ScraperSky.Scanning.Domains;

/// The registrable domain of a host ("eTLD+1": `shop.example.co.uk` → `example.co.uk`), from the Public Suffix List
/// shipped with the library (ICANN and private sections, so `a.blogspot.com` and `b.blogspot.com` are two sites).
/// A host under no listed suffix follows the list's default rule `*` (its last label is the suffix), so fleet hosts
/// such as `basic.test` are their own registrable domain. IP literals are returned as they are.
public static class RegistrableDomain
{
    private const string ResourceName = "ScraperSky.Scanning.Domains.public_suffix_list.dat";
    private static readonly Lazy<Rules> List = new(Load);

    /// The registrable domain of <paramref name="host"/> (lower case, punycode, no trailing dot); the host itself when
    /// it is an IP literal or is itself a public suffix.
    public static string Of(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.Length == 0 || name.StartsWith('[') || IPAddress.TryParse(name, out _))
        {
            return name;
        }

        var labels = name.Split('.');
        var suffixLabels = List.Value.SuffixLength(labels);
        return suffixLabels >= labels.Length ? name : string.Join('.', labels[^(suffixLabels + 1)..]);
    }

    /// Whether two hosts belong to the same registrable domain.
    public static bool Same(string a, string b) => string.Equals(Of(a), Of(b), StringComparison.Ordinal);

    private static Rules Load()
    {
        using var stream = typeof(RegistrableDomain).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var rules = new Rules();
        var idn = new IdnMapping();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var exception = line.StartsWith('!');
            var rule = exception ? line[1..] : line;
            try
            {
                // Hosts reach us in punycode (Uri.IdnHost); the list spells IDN suffixes in Unicode.
                rule = string.Join('.', rule.Split('.').Select(l => l == "*" ? l : idn.GetAscii(l))).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                continue;
            }

            (exception ? rules.Exceptions : rules.Normal).Add(rule);
        }

        return rules;
    }

    private sealed class Rules
    {
        public HashSet<string> Normal { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Exceptions { get; } = new(StringComparer.Ordinal);

        /// How many trailing labels of the host form its public suffix (the PSL algorithm: the longest matching
        /// rule wins, an exception rule wins over all and gives one label fewer, and `*` is the default).
        public int SuffixLength(string[] labels)
        {
            var longest = 1;
            for (var count = labels.Length; count >= 1; count--)
            {
                var candidate = string.Join('.', labels[^count..]);
                if (Exceptions.Contains(candidate))
                {
                    return count - 1;
                }

                if (count <= longest)
                {
                    continue;
                }

                if (Normal.Contains(candidate))
                {
                    longest = count;
                }
                else if (count > 1 && Normal.Contains("*." + string.Join('.', labels[^(count - 1)..])))
                {
                    longest = count;
                }
            }

            return longest;
        }
    }
}
