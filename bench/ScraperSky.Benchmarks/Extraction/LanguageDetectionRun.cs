using System.Diagnostics;
using System.Globalization;
using ScraperSky.Scanning.Extraction;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Benchmarks.Extraction;

/// `language-memory`: what the text language detector holds in memory once every model it may need is loaded (the
/// figure BenchmarkDotNet cannot show, since models load once, before measuring), its time per page, and the
/// extraction benchmark's corpus extracted with its language declared and without, in wall and CPU time.
internal static class LanguageDetectionRun
{
    public const string Command = "language-memory";

    // A sentence in each of a spread of the detector's languages, repeated to the length of a page sample.
    private static readonly string[] Samples =
    [
        "We bake fresh bread every morning and deliver cakes to your door across the whole city.",
        "Wir backen jeden Morgen frisches Brot und liefern Kuchen in der ganzen Stadt bis an Ihre Tür.",
        "Nous préparons du pain frais chaque matin et livrons les gâteaux à domicile dans toute la ville.",
        "Horneamos pan fresco cada mañana y llevamos las tartas a su casa en toda la ciudad.",
        "Sforniamo pane fresco ogni mattina e consegniamo le torte a domicilio in tutta la città.",
        "Wij bakken elke ochtend vers brood en bezorgen taarten in de hele stad aan huis.",
        "Codziennie rano pieczemy świeży chleb i dowozimy ciasta pod drzwi w całym mieście.",
        "Vi bakar färskt bröd varje morgon och levererar tårtor hem till dig i hela staden.",
        "Každé ráno pečeme čerstvý chléb a dorty rozvážíme až k vašim dveřím po celém městě.",
        "Fazemos pão fresco todas as manhãs e entregamos bolos em casa em toda a cidade.",
        "Каждое утро мы печём свежий хлеб и доставляем торты на дом по всему городу.",
        "Her sabah taze ekmek pişiriyor ve pastaları şehrin her yerine kapınıza kadar getiriyoruz.",
    ];

    public static int Run()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var texts = Samples.Select(s => string.Join(' ', Enumerable.Repeat(s, 3_000 / s.Length + 1))).ToList();
        var watch = Stopwatch.StartNew();
        var first = texts.Select(t => TextLanguageDetector.Detect(t)).ToList();
        var loading = watch.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"detected: {string.Join(' ', first)}\nmodels in memory: {(after - before) / 1024.0 / 1024.0:F1} MiB (first round incl. loading {loading.TotalMilliseconds:F0} ms)"));
        // Each text is longer than the detector's sample, so this is the time per page that reaches detection. CPU
        // time beside wall time: on a busy machine the wall clock measures the neighbours.
        const int Rounds = 30;
        var (wall, cpu) = Measure(() =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var text in texts)
                {
                    TextLanguageDetector.Detect(text);
                }
            }
        });
        Print("detection per page", wall, cpu, Rounds * texts.Count);

        // Whole extractions of the benchmark corpus, with its language declared and without.
        var extractor = new HtmlExtractor(FingerprintMatcher.Shipped);
        foreach (var declared in new[] { true, false })
        {
            var corpus = ExtractionCorpus.Generate(32, declareLanguage: declared);
            corpus.ForEach(page => extractor.Extract(page));
            (wall, cpu) = Measure(() =>
            {
                for (var round = 0; round < 5; round++)
                {
                    corpus.ForEach(page => extractor.Extract(page));
                }
            });
            Print(declared ? "extraction per page, language declared" : "extraction per page, language detected", wall, cpu, 5 * corpus.Count);
        }

        return 0;
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        process.Refresh();
        return (watch.Elapsed, process.TotalProcessorTime - cpu);
    }

    private static void Print(string what, TimeSpan wall, TimeSpan cpu, int count) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {wall.TotalMilliseconds / count:F3} ms wall, {cpu.TotalMilliseconds / count:F3} ms CPU"));
}
