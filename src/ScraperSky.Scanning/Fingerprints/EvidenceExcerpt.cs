using System.Buffers;

namespace ScraperSky.Scanning.Fingerprints;

/// The short excerpt a <see cref="TechnologyEvidence"/> shows of what matched. Made only for matches, so a page pays
/// for it once per detected technology signal, not per pattern tried.
internal static class EvidenceExcerpt
{
    internal const int MaxChars = 100;

    // Where a token of page source ends: a match inside an attribute value widens to that value (the asset URL a
    // reader can recognise), not across the tag.
    private static readonly SearchValues<char> TokenEnds = SearchValues.Create(" \t\r\n\"'<>()`;,");

    /// A whole value (header, meta content, script URL) when short enough, else the <see cref="MaxChars"/> around
    /// the match.
    public static string OfValue(ReadOnlySpan<char> value, Range matched)
    {
        var (start, length) = matched.GetOffsetAndLength(value.Length);
        return value.Length <= MaxChars ? Clean(value) : Window(value, start, length);
    }

    /// The match in page source or a script, widened to the token around it (at most <see cref="MaxChars"/>).
    public static string InSource(ReadOnlySpan<char> source, Range matched)
    {
        var (start, length) = matched.GetOffsetAndLength(source.Length);
        if (length >= MaxChars)
        {
            return Clean(source.Slice(start, MaxChars));
        }

        var left = start;
        var right = start + length;
        while (left > 0 && right - left < MaxChars && !TokenEnds.Contains(source[left - 1]))
        {
            left--;
        }

        while (right < source.Length && right - left < MaxChars && !TokenEnds.Contains(source[right]))
        {
            right++;
        }

        return Clean(source[left..right]);
    }

    private static string Window(ReadOnlySpan<char> value, int start, int length)
    {
        length = Math.Min(length, MaxChars);
        var left = Math.Clamp(start - ((MaxChars - length) / 2), 0, value.Length - MaxChars);
        return Clean(value.Slice(left, MaxChars));
    }

    // One line of text: page source may put line breaks and tabs inside a match.
    private static string Clean(ReadOnlySpan<char> text)
    {
        var line = text.Trim().ToString();
        return line.AsSpan().ContainsAny('\r', '\n', '\t') ? line.Replace('\r', ' ').Replace('\n', ' ').Replace('\t', ' ') : line;
    }
}
