using System.Text;

namespace ScraperSky.Scanning.Fingerprints;

/// Derives from a regex the strings that any match must contain, for the matcher's literal prefilter. Conservative:
/// whenever the syntax is not plainly literal it ends the current run, so a derived literal is always truly required.
/// Literals are ASCII: a non-ASCII character ends a run too (case-insensitive matching of those is not worth copying).
internal static class RequiredLiterals
{
    private const int MinLength = 3;

    /// Per top-level alternative (any of them may match), every literal each of its matches contains, longest first;
    /// null when some alternative has none. All of an alternative's literals, not only its longest: its longest is
    /// often markup every page holds (`<link[^>]+bulma`, `class=["']wpcf7`), and the regex would run on every page.
    public static IReadOnlyList<IReadOnlyList<string>>? Find(string pattern)
    {
        var branches = SplitTopLevel(pattern);
        var found = new List<IReadOnlyList<string>>(branches.Count);
        foreach (var branch in branches)
        {
            var literals = Runs(branch);
            if (literals.Count == 0)
            {
                return null;
            }

            if (!found.Any(f => f.SequenceEqual(literals)))
            {
                found.Add(literals);
            }
        }

        return found;
    }

    /// Per alternative of <see cref="Find"/> (same order), each of its literals after which a match goes on for at most
    /// a known number of characters: every match then ends within that many characters of the end of some occurrence
    /// of the literal, so no match ends past its last occurrence plus that reach, and a search may stop there with the
    /// same result. Null when an anchor, word boundary or look-ahead reads past a match's end (then a shorter input
    /// could match where the whole one does not), or when some alternative has no literal.
    public static IReadOnlyList<IReadOnlyDictionary<string, int>>? Reach(string pattern)
    {
        if (ReadsPastMatch(pattern))
        {
            return null;
        }

        var lists = new List<List<string>>();
        var reach = new List<Dictionary<string, int>>();
        foreach (var branch in SplitTopLevel(pattern))
        {
            var tails = new Dictionary<string, int>();
            var literals = Runs(branch, tails);
            if (literals.Count == 0)
            {
                return null;
            }

            // Alternatives with the same literals are one in Find: a bound must hold for both.
            var at = lists.FindIndex(l => l.SequenceEqual(literals));
            if (at < 0)
            {
                lists.Add(literals);
                reach.Add(tails);
            }
            else
            {
                reach[at] = reach[at].Where(p => tails.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => Math.Max(p.Value, tails[p.Key]));
            }
        }

        return reach;
    }

    /// Whether the pattern has `$`, `\b`, `\B`, `\z`, `\Z`, `\G` or a look-ahead: syntax whose outcome depends on
    /// text after the place it stands, up to the input's end.
    private static bool ReadsPastMatch(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\' when i + 1 < pattern.Length:
                    if (pattern[++i] is 'b' or 'B' or 'z' or 'Z' or 'G')
                    {
                        return true;
                    }

                    break;
                case '[':
                    i = SkipClass(pattern, i);
                    break;
                case '$':
                    return true;
                case '(' when pattern.AsSpan(i).StartsWith("(?=") || pattern.AsSpan(i).StartsWith("(?!"):
                    return true;
            }
        }

        return false;
    }

    /// The most characters the syntax from <paramref name="i"/> to the end of its group (or pattern) can match, or
    /// null when unbounded (`*`, `+`, `{n,}`) or not plainly read here (look-arounds, back-references, options).
    private static int? MaxLength(string s, ref int i, bool inGroup)
    {
        var best = 0;
        var current = 0;
        while (i < s.Length)
        {
            int atom;
            switch (s[i])
            {
                case ')':
                    if (!inGroup)
                    {
                        return null;
                    }

                    return Math.Max(best, current);
                case '|':
                    best = Math.Max(best, current);
                    current = 0;
                    i++;
                    continue;
                case '\\':
                    if (i + 1 >= s.Length)
                    {
                        return null;
                    }

                    var escaped = s[i + 1];
                    if (!char.IsAsciiLetterOrDigit(escaped) || "dDwWsStnrfve".Contains(escaped, StringComparison.Ordinal))
                    {
                        i += 2;
                    }
                    else if (escaped == 'x' && i + 3 < s.Length)
                    {
                        i += 4;
                    }
                    else if (escaped == 'u' && i + 5 < s.Length)
                    {
                        i += 6;
                    }
                    else
                    {
                        return null;
                    }

                    atom = 1;
                    break;
                case '[':
                    i = SkipClass(s, i) + 1;
                    atom = 1;
                    break;
                case '(':
                    if (s.AsSpan(i).StartsWith("(?:"))
                    {
                        i += 3;
                    }
                    else if (i + 1 < s.Length && s[i + 1] == '?')
                    {
                        return null;
                    }
                    else
                    {
                        i++;
                    }

                    if (MaxLength(s, ref i, inGroup: true) is not { } inner || i >= s.Length)
                    {
                        return null;
                    }

                    i++;
                    atom = inner;
                    break;
                case '^':
                    i++;
                    atom = 0;
                    break;
                case '*' or '+' or '?' or '{' or '$':
                    return null;
                default:
                    i++;
                    atom = 1;
                    break;
            }

            if (i < s.Length && s[i] is '*' or '+')
            {
                return null;
            }

            if (i < s.Length && s[i] == '?')
            {
                i++;
            }
            else if (i < s.Length && s[i] == '{')
            {
                var close = s.IndexOf('}', i);
                var bounds = close < 0 ? [] : s[(i + 1)..close].Split(',');
                if (bounds.Length is not (1 or 2) || !int.TryParse(bounds[^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var most) || most > 1000)
                {
                    return null;
                }

                atom *= most;
                i = close + 1;
            }

            if (i < s.Length && s[i] == '?')
            {
                i++;
            }

            current += atom;
            if (current > 100_000)
            {
                return null;
            }
        }

        return inGroup ? null : Math.Max(best, current);
    }

    private static List<string> SplitTopLevel(string pattern)
    {
        var branches = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = SkipClass(pattern, i);
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case '|' when depth == 0:
                    branches.Add(pattern[start..i]);
                    start = i + 1;
                    break;
            }
        }

        branches.Add(pattern[start..]);
        return branches;
    }

    /// The runs of plain literal characters of a branch outside its groups and classes, each at least
    /// <see cref="MinLength"/> long, lower-cased, distinct and longest first. <paramref name="tails"/>, when given,
    /// receives for each run the fewest characters a match can go on for after it (see <see cref="Reach"/>), for the
    /// runs where that is bounded.
    private static List<string> Runs(string branch, Dictionary<string, int>? tails = null)
    {
        var runs = new List<string>();
        var run = new StringBuilder();

        // Where the syntax after the current run starts: the token that ended it (a quantified last character included).
        var token = 0;

        void Flush()
        {
            if (run.Length >= MinLength && run.ToString().ToLowerInvariant() is var literal)
            {
                if (!runs.Contains(literal))
                {
                    runs.Add(literal);
                }

                var after = token;
                if (tails is not null && MaxLength(branch, ref after, inGroup: false) is { } tail)
                {
                    tails[literal] = tails.TryGetValue(literal, out var other) ? Math.Min(other, tail) : tail;
                }
            }

            run.Clear();
        }

        for (var i = 0; i < branch.Length; i++)
        {
            token = i;
            var c = branch[i];
            var appended = false;
            switch (c)
            {
                case '\\' when i + 1 < branch.Length:
                    var next = branch[++i];
                    if (char.IsAsciiLetterOrDigit(next) || !char.IsAscii(next))
                    {
                        Flush();
                    }
                    else
                    {
                        run.Append(next);
                        appended = true;
                    }

                    break;
                case '[':
                    Flush();
                    i = SkipClass(branch, i);
                    break;
                case '(':
                    Flush();
                    i = SkipGroup(branch, i);
                    break;
                case '.' or '^' or '$' or ')' or '|' or '\\':
                    Flush();
                    break;
                case '?' or '*' or '+' or '{':
                    // A quantifier right after a group or class: the run was already flushed.
                    Flush();
                    i = SkipQuantifier(branch, i) - 1;
                    break;
                case > '\x7f':
                    Flush();
                    break;
                default:
                    run.Append(c);
                    appended = true;
                    break;
            }

            if (appended && i + 1 < branch.Length && branch[i + 1] is '?' or '*' or '+' or '{')
            {
                var optional = branch[i + 1] is '?' or '*'
                    || (branch[i + 1] == '{' && i + 2 < branch.Length && branch[i + 2] == '0');
                if (optional)
                {
                    run.Length--;
                }

                Flush();
                i = SkipQuantifier(branch, i + 1) - 1;
            }
        }

        token = branch.Length;
        Flush();
        return [.. runs.OrderByDescending(r => r.Length)];
    }

    /// Index just past a quantifier starting at <paramref name="i"/>, including a lazy or possessive suffix.
    private static int SkipQuantifier(string s, int i)
    {
        if (s[i] == '{')
        {
            var close = s.IndexOf('}', i);
            i = close < 0 ? s.Length : close + 1;
        }
        else
        {
            i++;
        }

        return i < s.Length && s[i] is '?' or '+' ? i + 1 : i;
    }

    private static int SkipClass(string s, int open)
    {
        var i = open + 1;
        if (i < s.Length && s[i] == '^')
        {
            i++;
        }

        if (i < s.Length && s[i] == ']')
        {
            i++;
        }

        for (; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
            }
            else if (s[i] == ']')
            {
                return i;
            }
        }

        return s.Length;
    }

    private static int SkipGroup(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = SkipClass(s, i);
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return i;
            }
        }

        return s.Length;
    }
}
