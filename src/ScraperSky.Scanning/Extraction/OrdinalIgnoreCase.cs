using System.Text;

namespace ScraperSky.Scanning.Extraction;

/// `Contains(value, StringComparison.OrdinalIgnoreCase)` with the same answer, without its cost: under invariant
/// globalization the framework compares such a search character by character at every place of the text (upper-casing
/// both sides), where here an ASCII text and value (nearly every URL, attribute, meta value and header) take a
/// vectorised search for the value's first character and a compare where it occurs. Anything beyond ASCII goes to the
/// framework as before.
internal static class OrdinalIgnoreCase
{
    public static bool Contains(ReadOnlySpan<char> text, ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return true;
        }

        if (!Ascii.IsValid(text) || !Ascii.IsValid(value))
        {
            return text.Contains(value, StringComparison.OrdinalIgnoreCase);
        }

        var first = value[0];
        var rest = value[1..];
        var letter = char.IsAsciiLetter(first);
        var lower = (char)(first | 0x20);
        var upper = (char)(first & ~0x20);

        // The places where the value may start, its first character included.
        var starts = text[..Math.Max(0, text.Length - rest.Length)];
        var from = 0;
        while (from < starts.Length)
        {
            var at = letter ? starts[from..].IndexOfAny(lower, upper) : starts[from..].IndexOf(first);
            if (at < 0)
            {
                return false;
            }

            at += from;
            if (Ascii.EqualsIgnoreCase(text.Slice(at + 1, rest.Length), rest))
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }
}
