using System.Buffers;

namespace ScraperSky.Scanning.Extraction;

/// A search for a few words that each hold a character beyond ASCII (`büro`, `Gérant`, `☎`), matched ordinally in the
/// spellings given, with the answer of `IndexOfAny(SearchValues<string>)`: where the first of them starts.
///
/// SearchValues over such words walks its automaton character by character, a dictionary lookup per character of the
/// page, since their first characters are common letters; it cost more than the rest of the phone and company finding
/// together. Here the vectorised search is for the words' first non-ASCII characters, rare in most pages, and only
/// where one occurs are the words around it compared.
internal sealed class NonAsciiWords
{
    private readonly SearchValues<char> _anchors;
    private readonly (string Word, int Offset)[] _words;
    private readonly int _maxOffset;

    public NonAsciiWords(IEnumerable<string> words)
    {
        _words = [.. words.Distinct(StringComparer.Ordinal).Select(word => (word, Offset: AnchorOf(word)))];
        _anchors = SearchValues.Create([.. _words.Select(w => w.Word[w.Offset]).Distinct()]);
        _maxOffset = _words.Length == 0 ? 0 : _words.Max(w => w.Offset);
    }

    /// Where the first of the words starts in <paramref name="text"/>, or -1.
    public int IndexOfAny(ReadOnlySpan<char> text)
    {
        var best = -1;
        var from = 0;
        while (from < text.Length)
        {
            var hit = text[from..].IndexOfAny(_anchors);
            if (hit < 0)
            {
                break;
            }

            hit += from;

            // A word anchored further on cannot start before one found already.
            if (best >= 0 && hit - _maxOffset >= best)
            {
                break;
            }

            foreach (var (word, offset) in _words)
            {
                var start = hit - offset;
                if (word[offset] == text[hit] && start >= 0 && (best < 0 || start < best) && text[start..].StartsWith(word))
                {
                    best = start;
                }
            }

            from = hit + 1;
        }

        return best;
    }

    private static int AnchorOf(string word)
    {
        for (var i = 0; i < word.Length; i++)
        {
            if (!char.IsAscii(word[i]))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{word}' has no character beyond ASCII to search for.", nameof(word));
    }
}
