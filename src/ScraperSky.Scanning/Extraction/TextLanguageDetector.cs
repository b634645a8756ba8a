using Lingua;
using static Lingua.Language;

namespace ScraperSky.Scanning.Extraction;

/// Detects the language of a page's visible text with Lingua, for pages that declare none.
///
/// The detector is built once, on first use, for the languages business sites are mostly written in: Lingua scores a
/// text against every candidate language of its script, so a smaller set is faster, lighter and more accurate than all
/// 79. It runs in low accuracy mode (trigram models only, a megabyte or two per language once loaded; about 40 MiB when
/// Latin and Cyrillic pages have both been seen), which Lingua documents as just as accurate above 120 characters, and
/// reads the first thousand characters of text only: its time grows with the text, and a thousand characters tell the
/// language as well as a page does. Text too short to tell says nothing.
internal static class TextLanguageDetector
{
    private const int SampleChars = 1_000;
    private const int MinLetters = 60;

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
        var sample = text.Trim();
        if (sample.Length > SampleChars)
        {
            sample = sample[..SampleChars];
        }

        var letters = 0;
        foreach (var c in sample)
        {
            if (char.IsLetter(c) && ++letters >= MinLetters)
            {
                break;
            }
        }

        if (letters < MinLetters)
        {
            return null;
        }

        var language = Detector.Value.DetectLanguageOf(sample.ToString());
        return language == Unknown ? null : LanguageInfo.IsoCode6391(language).ToString().ToLowerInvariant();
    }
}
