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
    /// <see cref="MinLength"/> long, lower-cased, distinct and longest first.
    private static List<string> Runs(string branch)
    {
        var runs = new List<string>();
        var run = new StringBuilder();

        void Flush()
        {
            if (run.Length >= MinLength && run.ToString().ToLowerInvariant() is var literal && !runs.Contains(literal))
            {
                runs.Add(literal);
            }

            run.Clear();
        }

        for (var i = 0; i < branch.Length; i++)
        {
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
