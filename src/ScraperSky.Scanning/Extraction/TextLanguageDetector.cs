using Lingua;
using static Lingua.Language;

namespace ScraperSky.Scanning.Extraction;

/// Detects the language of a page's visible text with Lingua, for pages that declare none.
///
/// The detector is built once, on first use, for the languages business sites are mostly written in: Lingua scores a
/// text against every candidate language of its script, so a smaller set is faster, lighter and more accurate than all
/// 79. It runs in low accuracy mode (trigram models only, a megabyte or two per language once loaded; about 40 MiB when
/// Latin and Cyrillic pages have both been seen), which Lingua documents as just as accurate above 120 characters.
///
/// It reads a sample of the page's prose only, since its time grows with the text: the first lines long enough to be
/// sentences, up to <see cref="SampleChars"/>. A page's text opens with its navigation, a column of one- and two-word
/// lines (menu items, brand and product names, often English on any page) that cost as much per character as
/// sentences and say much less; half a thousand characters of sentences tell the language better than the first
/// thousand of a page did, in half the time. A page with too little prose is read from its start as before, and text
/// too short to tell says nothing.
internal static class TextLanguageDetector
{
    private const int SampleChars = 500;
    private const int MinLetters = 60;

    // A line of the page's text (a block's text) this long is taken for prose; menus and labels are shorter.
    private const int MinProseLine = 40;

    // How far into the text the prose sample is looked for.
    private const int MaxScanChars = 100_000;

    private static readonly Lazy<LanguageDetector> Detector = new(() => LanguageDetectorBuilder
        .FromLanguages(
            English, German, French, Spanish, Portuguese, Italian, Dutch, Polish, Swedish, Danish, Bokmal, Finnish,
            Czech, Slovak, Hungarian, Romanian, Croatian, Turkish, Indonesian, Vietnamese,
            Greek, Bulgarian, Russian, Ukrainian, Arabic, Hebrew, Persian, Hindi, Chinese, Japanese, Korean, Thai)
        .WithLowAccuracyMode()
        .Build());

    /// The ISO 639-1 code of the text's language, or null when the text is too short or unclear.
    public static string? Detect(ReadOnlySpan<char> text)
    {
        Span<char> buffer = stackalloc char[SampleChars];
        var sample = ProseSample(text, buffer);
        if (!HasLetters(sample))
        {
            sample = text.Trim();
            sample = sample[..Math.Min(sample.Length, SampleChars)];
            if (!HasLetters(sample))
            {
                return null;
            }
        }

        var language = Detector.Value.DetectLanguageOf(sample.ToString());
        return language == Unknown ? null : LanguageInfo.IsoCode6391(language).ToString().ToLowerInvariant();
    }

    /// The first lines of <paramref name="text"/> long enough to be prose, joined by spaces into <paramref name="buffer"/>
    /// (the last one cut at its end).
    private static ReadOnlySpan<char> ProseSample(ReadOnlySpan<char> text, Span<char> buffer)
    {
        text = text[..Math.Min(text.Length, MaxScanChars)];
        var length = 0;
        while (!text.IsEmpty && length < buffer.Length)
        {
            var end = text.IndexOf('\n');
            var line = (end < 0 ? text : text[..end]).Trim();
            text = end < 0 ? [] : text[(end + 1)..];
            if (line.Length < MinProseLine)
            {
                continue;
            }

            if (length > 0)
            {
                buffer[length++] = ' ';
            }

            var take = Math.Min(line.Length, buffer.Length - length);
            line[..take].CopyTo(buffer[length..]);
            length += take;
        }

        return buffer[..length];
    }

    private static bool HasLetters(ReadOnlySpan<char> sample)
    {
        var letters = 0;
        foreach (var c in sample)
        {
            if (char.IsLetter(c) && ++letters >= MinLetters)
            {
                return true;
            }
        }

        return false;
    }
}
