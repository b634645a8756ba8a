using System.Buffers;
using System.Text;

namespace ScraperSky.Scanning.Extraction;

/// Chooses the same-site pages most likely to carry contact details, from a homepage's links. Scores the link's path
/// and text against words for contact, imprint, about, team and legal pages in the languages our users' sites speak.
///
/// It runs over the links of every homepage, so a link costs no string: its path and text are folded into one stack
/// (or pooled) buffer, the words are looked for in one pass over it, and hosts are compared in place. The extractor
/// asks the same question (<see cref="MayChoose"/>) of every link before it makes the link's strings.
public static class ContactPageSelector
{
    private static readonly (string Word, int Score)[] Words =
    [
        ("contact", 10), ("kontakt", 10), ("contacto", 10), ("contato", 10), ("contatti", 10), ("contactez", 10),
        ("contacte", 10), ("yhteystiedot", 10), ("kapcsolat", 10), ("get-in-touch", 9), ("reach-us", 8),
        ("impressum", 9), ("imprint", 9), ("mentions-legales", 8), ("aviso-legal", 8), ("legal-notice", 8),
        ("colofon", 7), ("note-legali", 7), ("informations-legales", 8), ("informazioni-legali", 7), ("nota-legal", 7),
        ("site-notice", 7), ("about", 6), ("uber-uns", 6), ("ueber-uns", 6), ("about-us", 6),
        ("a-propos", 6), ("qui-sommes-nous", 6), ("quienes-somos", 6), ("sobre", 5), ("chi-siamo", 6), ("over-ons", 6),
        ("om-oss", 6), ("team", 5), ("equipe", 5), ("equipo", 5), ("locations", 4), ("standorte", 4), ("offices", 4),
        ("support", 3), ("legal", 3), ("company", 3), ("unternehmen", 3), ("empresa", 3),
    ];

    // The pages where a business must state who it is (§ 5 DDG, LCEN art. 6, LSSI art. 10, Italian and Dutch law).
    private static readonly string[] LegalNoticeWords =
    [
        "impressum", "imprint", "mentions-legales", "informations-legales", "aviso-legal", "nota-legal", "note-legali",
        "informazioni-legali", "colofon", "legal-notice", "site-notice",
    ];

    private static readonly WordTable ScoreWords = new(Words);
    private static readonly WordTable LegalWords = new([.. LegalNoticeWords.Select(w => (w, 1))]);

    private static readonly string[] SkippedExtensions =
        [".pdf", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".zip", ".mp4", ".mp3", ".doc", ".docx", ".xml", ".css", ".js"];

    // Path and text up to this many characters are folded on the stack; longer ones (rare) in a pooled array.
    private const int StackChars = 512;

    public static IReadOnlyList<Uri> Select(Uri homepage, IEnumerable<PageLink> links, int max)
    {
        if (max <= 0)
        {
            return [];
        }

        var site = SiteHost(homepage.IdnHost);
        var homePath = homepage.AbsolutePath.AsSpan().TrimEnd('/');
        var homeQuery = homepage.Query;
        var scored = new Dictionary<string, (Uri Url, int Score, int Order)>(StringComparer.Ordinal);
        var ranks = new TopScores(max);
        var order = 0;
        Uri? lastBase = null;
        var baseBest = 0;
        foreach (var link in links)
        {
            order++;

            // Most of a homepage's links name no word in their href, their text or the path they are relative to, and
            // so cannot score: they are passed over without the Uri their resolution would cost (most of this method's
            // time). Resolution only drops and joins path segments, so a word in the path is in one of those two.
            if (!ReferenceEquals(link.BaseUrl, lastBase))
            {
                lastBase = link.BaseUrl;
                baseBest = Best(ScoreWords, lastBase.AbsolutePath, string.Empty, dropControls: true);
            }

            // The link's score is at most the best word of its href, text and base path, less what its depth costs
            // where the href tells it: one that cannot reach the lowest of the best `max` scores so far could not be
            // chosen either.
            var bound = Math.Max(baseBest, Best(ScoreWords, link.Href, link.Text, dropControls: true));
            if (bound == 0 || bound - DepthCost(KnownDepth(link.Href)) < ranks.Threshold)
            {
                continue;
            }

            if (link.Url is not { } url || !SiteHost(url.IdnHost).Equals(site, StringComparison.OrdinalIgnoreCase)
                || HasSkippedExtension(url.AbsolutePath))
            {
                continue;
            }

            // Scored before the homepage test and the key, so the many links that score nothing cost no key string.
            var score = Score(url.AbsolutePath, link.Text);
            if (score <= 0 || (url.AbsolutePath.AsSpan().TrimEnd('/').SequenceEqual(homePath) && url.Query == homeQuery))
            {
                continue;
            }

            // The page keeps the URL it was first linked by (its fragment dropped once it is among the chosen).
            var key = Normalize(url);
            if (!scored.TryGetValue(key, out var existing) || existing.Score < score)
            {
                scored[key] = (existing.Url ?? url, score, existing.Order == 0 ? order : existing.Order);
                ranks.Raise(existing.Score, score);
            }
        }

        // Pages below the lowest of the best `max` scores cannot be chosen, whatever their paths' lengths.
        return [.. scored.Values
            .Where(c => c.Score >= ranks.Threshold)
            .Select(c => (Url: new UriBuilder(c.Url) { Fragment = string.Empty }.Uri, c.Score, c.Order))
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Url.AbsolutePath.Length)
            .ThenBy(c => c.Order)
            .Take(max)
            .Select(c => c.Url)];
    }

    /// Whether <see cref="Select"/> could choose a link by its href and text, or by the path of the page's base: one
    /// that names none of its words cannot score. The extractor keeps only the links that may
    /// (<see cref="PageExtraction.Links"/>), so that the rest cost no strings.
    public static bool MayChoose(ReadOnlySpan<char> href, ReadOnlySpan<char> text) => Best(ScoreWords, href, text, dropControls: true) > 0;

    /// Whether a page is a legal notice, by its path or title (not its text: every German footer links "Impressum").
    public static bool IsLegalNotice(Uri url, string? title) => Best(LegalWords, url.AbsolutePath, title ?? string.Empty) > 0;

    private static int Score(string path, string text)
    {
        var best = Best(ScoreWords, path, text);
        return best == 0 ? 0 : best - DepthCost(path.AsSpan().Count('/'));
    }

    /// Deep paths (/blog/2021/05/how-we-contacted-our-customers) are articles, not the site's contact page.
    private static int DepthCost(int slashes) => 3 * Math.Max(0, slashes - 2);

    /// The slashes of the path <paramref name="href"/> resolves to, where the href alone tells it: a path from the
    /// site's root of plain characters (no dot segments, escapes, backslashes or empty segments, which resolution
    /// may drop or turn into slashes); else 0.
    private static int KnownDepth(string href)
    {
        if (href.Length < 2 || href[0] != '/')
        {
            return 0;
        }

        var slashes = 0;
        var previous = '\0';
        foreach (var c in href)
        {
            if (c is '?' or '#')
            {
                break;
            }

            if (c is '.' or '\\' or '%' || c <= ' ' || c >= 0x7F || (c == '/' && previous == '/'))
            {
                return 0;
            }

            slashes += c == '/' ? 1 : 0;
            previous = c;
        }

        return slashes;
    }

    /// The best score of the words in the unescaped, folded path, a space, and the folded text with its spaces as
    /// dashes (so "Über uns" meets "uber-uns"; the space between keeps a word from spanning path and text).
    /// <paramref name="dropControls"/>: control characters left out, as a URL parser may drop them from a path.
    private static int Best(WordTable words, ReadOnlySpan<char> path, ReadOnlySpan<char> text, bool dropControls = false)
    {
        // Unescaping never lengthens the path; folding at most doubles a character (ß).
        var length = (2 * (path.Length + text.Length)) + 1;
        char[]? rented = null;
        Span<char> buffer = length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            int written;
            if (path.Contains('%'))
            {
                var unescaped = buffer[^path.Length..];
                var ok = Uri.TryUnescapeDataString(path, unescaped, out var unescapedLength);
                written = Fold(ok ? unescaped[..unescapedLength] : path, buffer, textSpaces: false, dropControls);
            }
            else
            {
                written = Fold(path, buffer, textSpaces: false, dropControls);
            }

            buffer[written++] = ' ';
            written += Fold(text, buffer[written..], textSpaces: true, dropControls);
            return words.Best(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// Lower case without accents into <paramref name="into"/>, so "Über uns" and "À propos" meet "uber-uns" and
    /// "a-propos"; returns the length written. A table rather than Unicode decomposition: the service runs with
    /// invariant globalization. <paramref name="into"/> may overlap the end of <paramref name="value"/>: each
    /// character is read before a write could reach it.
    internal static int Fold(ReadOnlySpan<char> value, Span<char> into, bool textSpaces, bool dropControls)
    {
        // Most paths and link texts are ASCII (without a control to drop): lowered in one vectorised pass, their `_`
        // (and a text's spaces) then made dashes, where a character at a time was a fifth of this selection.
        if (Ascii.IsValid(value) && !value.Overlaps(into) && !(dropControls && value.ContainsAnyInRange('\0', '\u001F')))
        {
            Ascii.ToLower(value, into, out var lowered);
            var folded = into[..lowered];
            folded.Replace('_', '-');
            if (textSpaces)
            {
                folded.Replace(' ', '-');
            }

            return lowered;
        }

        var n = 0;
        foreach (var original in value)
        {
            var c = char.ToLowerInvariant(original);
            if (c < 0x20 && dropControls)
            {
                continue;
            }

            if (c < 0x80)
            {
                into[n++] = c == '_' || (textSpaces && c == ' ') ? '-' : c;
                continue;
            }

            switch (c)
            {
                case 'ß':
                    into[n++] = 's';
                    into[n++] = 's';
                    break;
                default:
                    into[n++] = c switch
                    {
                        'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' => 'a',
                        'ç' => 'c',
                        'è' or 'é' or 'ê' or 'ë' => 'e',
                        'ì' or 'í' or 'î' or 'ï' => 'i',
                        'ñ' => 'n',
                        'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ø' => 'o',
                        'ù' or 'ú' or 'û' or 'ü' => 'u',
                        'ý' or 'ÿ' => 'y',
                        _ => c,
                    };
                    break;
            }
        }

        return n;
    }

    private static bool HasSkippedExtension(string path)
    {
        foreach (var extension in SkippedExtensions)
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Compared in ASCII form: a page may link to its own IDN host in Unicode while the homepage URL is punycode.
    private static ReadOnlySpan<char> SiteHost(string host)
    {
        var trimmed = host.AsSpan().TrimEnd('.');
        return trimmed.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? trimmed[4..] : trimmed;
    }

    /// The key two links to the same page share: no fragment, no trailing slash, no `www.`.
    private static string Normalize(Uri url) =>
        string.Concat(SiteHost(url.IdnHost).ToString().ToLowerInvariant(), url.AbsolutePath.AsSpan().TrimEnd('/'), url.Query);

    /// The lowest score a link needs to still be among the best <c>max</c> pages (0 while fewer are scored): the
    /// number of pages at each score, which only ever rises (a page's score is raised, never lowered).
    private sealed class TopScores(int max)
    {
        private readonly int[] _pages = new int[MaxScore + 1];

        public int Threshold { get; private set; }

        /// A page's score went from <paramref name="from"/> (0: a new page) to <paramref name="to"/>.
        public void Raise(int from, int to)
        {
            if (from > 0)
            {
                _pages[from]--;
            }

            _pages[to]++;
            var count = 0;
            for (var score = MaxScore; score > 0; score--)
            {
                count += _pages[score];
                if (count >= max)
                {
                    Threshold = score;
                    return;
                }
            }
        }
    }

    private static readonly int MaxScore = Words.Max(w => w.Score);

    /// Words grouped by their first letter, so a position of the folded text is compared only with the words that
    /// could start there, and only where its next letter is also one a word goes on with (most are not: links are
    /// read whole for a handful of words).
    private sealed class WordTable((string Word, int Score)[] words)
    {
        private readonly (string Word, int Score)[][] _byFirst = [.. Enumerable.Range(0, 128)
            .Select(c => words.Where(w => w.Word[0] == c).ToArray())];

        // Bit (first * 128 + second) set when a word starts with those two ASCII letters.
        private readonly ulong[] _starts = Starts(words);

        public int Best(ReadOnlySpan<char> folded)
        {
            var best = 0;
            for (var i = 0; i < folded.Length - 1; i++)
            {
                var pair = ((uint)folded[i] << 7) | folded[i + 1];
                if (folded[i] >= 128 || folded[i + 1] >= 128 || (_starts[pair >> 6] & (1UL << (int)(pair & 63))) == 0)
                {
                    continue;
                }

                foreach (var (word, score) in _byFirst[folded[i]])
                {
                    if (score > best && folded[i..].StartsWith(word, StringComparison.Ordinal))
                    {
                        best = score;
                    }
                }
            }

            return best;
        }

        private static ulong[] Starts((string Word, int Score)[] words)
        {
            var starts = new ulong[128 * 128 / 64];
            foreach (var (word, _) in words)
            {
                var pair = (word[0] << 7) | word[1];
                starts[pair >> 6] |= 1UL << (pair & 63);
            }

            return starts;
        }
    }
}
