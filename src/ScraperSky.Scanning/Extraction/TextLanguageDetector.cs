using Lingua;
using static Lingua.Language;

namespace ScraperSky.Scanning.Extraction;

/// Detects the language of a page's visible text with Lingua, for pages that declare none.
///
/// The detector is built once, on first use, for the languages business sites are mostly written in; a smaller set is
/// both faster and more accurate than all 79. It reads the first few thousand characters of text only, and in Lingua's
/// low accuracy mode (trigram models only): a page sample is long enough for it, and it keeps the models in memory a
/// few megabytes per language instead of tens. Text too short to tell says nothing.
internal static class TextLanguageDetector
{
    private const int SampleChars = 3_000;
    private const int MinLetters = 60;

    private static readonly Lazy<LanguageDetector> Detector = new(() => LanguageDetectorBuilder
        .FromLanguages(
            English, German, French, Spanish, Portuguese, Italian, Dutch, Polish, Swedish, Danish, Bokmal, Finnish,
            Czech, Slovak, Hungarian, Romanian, Greek, Bulgarian, Russian, Ukrainian, Croatian, Slovene, Estonian,
            Latvian, Lithuanian, Catalan, Turkish, Arabic, Hebrew, Persian, Hindi, Chinese, Japanese, Korean, Thai,
            Vietnamese, Indonesian)
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
