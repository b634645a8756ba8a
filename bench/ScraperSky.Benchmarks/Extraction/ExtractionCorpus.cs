using System.Globalization;
using System.Text;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Benchmarks.Extraction;

/// Deterministic pages of the size and shape scans meet (about 250 KB on average): a head full of meta tags,
/// stylesheets and third-party scripts, inline JSON state blobs, JSON-LD, navigation and footers with hundreds of
/// links, article text with contact details, dates and prices, images and forms. Each page also carries markers of a
/// few synthetic technologies so the 7,500-technology run has real matches to make.
internal static class ExtractionCorpus
{
    private static readonly string[] ScriptPool =
    [
        "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1", "/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1",
        "https://www.googletagmanager.com/gtag/js?id=G-XYZ123", "https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/js/bootstrap.bundle.min.js",
        "/wp-content/plugins/elementor/assets/js/frontend.min.js?ver=3.18.3", "https://static.hotjar.com/c/hotjar-1.js?sv=6",
        "/_next/static/chunks/main-abc123.js", "https://unpkg.com/react@18.2.0/umd/react.production.min.js",
        "/assets/js/app.bundle.js", "/assets/js/vendor.js", "https://js.hs-scripts.com/123.js", "/js/swiper-bundle.min.js",
        "https://www.google.com/recaptcha/api.js", "/static/js/runtime.js", "https://connect.facebook.net/en_US/fbevents.js",
    ];

    private static readonly string[] Words =
    [
        "service", "quality", "team", "customers", "delivery", "design", "garden", "repair", "office", "support", "project",
        "local", "family", "fast", "reliable", "price", "offer", "season", "experience", "contact", "order", "today",
    ];

    /// <param name="declareLanguage">False leaves out `lang` (and every other declaration), so the extractor has to
    /// detect the language from the text.</param>
    public static List<FetchedPage> Generate(int count, int seed = 20261124, int syntheticTechnologies = 0, bool declareLanguage = true)
    {
        var random = new Random(seed);
        var pages = new List<FetchedPage>(count);
        for (var i = 0; i < count; i++)
        {
            var host = $"site{i.ToString(CultureInfo.InvariantCulture)}.example-corpus.de";
            var html = Page(random, host, i, syntheticTechnologies, declareLanguage);
            var url = new Uri($"https://{host}/");
            pages.Add(new FetchedPage
            {
                RequestedUrl = url,
                FinalUrl = url,
                StatusCode = 200,
                Headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
                {
                    ["Server"] = [i % 3 == 0 ? "nginx/1.25.3" : "Apache/2.4.58"],
                    ["X-Powered-By"] = ["PHP/8.2.12"],
                    ["Set-Cookie"] = ["PHPSESSID=abc; path=/", $"syn_{(i * 37) % 7500:D4}=1; path=/"],
                },
                ContentType = "text/html; charset=utf-8",
                Html = PageText.Of(html),
                Bytes = html.Length,
            });
        }

        return pages;
    }

    private static string Page(Random random, string host, int index, int syntheticTechnologies, bool declareLanguage)
    {
        var target = 150_000 + random.Next(200_000);
        var b = new StringBuilder(target + 20_000);
        b.Append(declareLanguage ? "<!DOCTYPE html>\n<html lang=\"de-DE\">\n" : "<!DOCTYPE html>\n<html>\n").Append("<head>\n<meta charset=\"utf-8\">\n");
        b.Append("<title>").Append(Sentence(random, 6)).Append(" | ").Append(host).Append("</title>\n");
        b.Append("<meta name=\"description\" content=\"").Append(Sentence(random, 20)).Append("\">\n");
        b.Append("<meta property=\"og:image\" content=\"/img/og-").Append(index).Append(".jpg\">\n");
        if (index % 2 == 0)
        {
            b.Append("<meta name=\"generator\" content=\"WordPress 6.4.").Append(index % 4).Append("\">\n");
        }

        for (var i = 0; i < 8 + random.Next(12); i++)
        {
            b.Append("<link rel=\"stylesheet\" href=\"/assets/css/style-").Append(i).Append(".css?ver=1.").Append(i).Append("\">\n");
        }

        b.Append("<link rel=\"icon\" href=\"/favicon-32.png\" sizes=\"32x32\">\n");
        foreach (var script in ScriptPool.OrderBy(_ => random.Next()).Take(6 + random.Next(9)))
        {
            b.Append("<script src=\"").Append(script).Append("\"></script>\n");
        }

        for (var t = 0; t < (syntheticTechnologies > 0 ? 12 : 0); t++)
        {
            var tech = random.Next(syntheticTechnologies);
            b.Append(FingerprintSyntheticDataset.MarkerFor(tech)).Append('\n');
        }

        b.Append("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"LocalBusiness\",\"name\":\"")
            .Append(host).Append("\",\"logo\":\"/img/logo.png\",\"telephone\":\"+49 30 ").Append(1000000 + index)
            .Append("\",\"sameAs\":[\"https://www.facebook.com/site").Append(index).Append("\"]}</script>\n");
        b.Append("<style>").Append(string.Concat(Enumerable.Range(0, 200).Select(i => $".c{i}{{margin:{i}px}}"))).Append("</style>\n");
        b.Append("</head>\n<body class=\"home page\">\n<header id=\"masthead\"><img class=\"custom-logo\" src=\"/img/logo.png\" alt=\"Logo\">\n<nav><ul>");
        for (var i = 0; i < 60; i++)
        {
            b.Append("<li><a href=\"/").Append(Words[i % Words.Length]).Append('-').Append(i).Append("/\">")
                .Append(Words[(i * 7) % Words.Length]).Append("</a></li>");
        }

        b.Append("</ul></nav></header>\n<main>\n");
        var article = 0;
        while (b.Length < target * 0.7)
        {
            b.Append("<section class=\"block block-").Append(article).Append("\"><div class=\"container\"><div class=\"row\">");
            b.Append("<h2>").Append(Sentence(random, 5)).Append("</h2>");
            for (var p = 0; p < 4; p++)
            {
                b.Append("<p>").Append(Sentence(random, 40 + random.Next(40)));
                switch (random.Next(12))
                {
                    case 0: b.Append(" Schreiben Sie an info").Append(article).Append('@').Append(host).Append('.'); break;
                    case 1: b.Append(" Telefon: 030 ").Append(2000000 + random.Next(7000000)).Append('.'); break;
                    case 2: b.Append(" Stand: ").Append(random.Next(1, 28)).Append('.').Append(random.Next(1, 12)).Append(".2024."); break;
                    case 3: b.Append(" Preis ab ").Append(random.Next(10, 999)).Append(",00 €."); break;
                    case 4: b.Append(" Bestellnummer ").Append(random.NextInt64(100000000, 999999999)).Append('.'); break;
                }

                b.Append("</p>");
            }

            b.Append("<img src=\"/img/photo-").Append(article).Append(".jpg\" alt=\"").Append(Words[article % Words.Length]).Append("\" loading=\"lazy\">");
            for (var l = 0; l < 6; l++)
            {
                b.Append("<a class=\"more\" href=\"/blog/").Append(article).Append('/').Append(l).Append("\">").Append(Sentence(random, 3)).Append("</a> ");
            }

            b.Append("</div></div></section>\n");
            article++;
        }

        b.Append("<form action=\"/newsletter\" method=\"post\"><input type=\"email\" name=\"email\"><button>Go</button></form>\n</main>\n");
        // Frameworks ship their state as one big inline JSON blob.
        b.Append("<script id=\"__STATE__\" type=\"application/json\">{\"items\":[");
        var item = 0;
        while (b.Length < target)
        {
            b.Append("{\"id\":").Append(item).Append(",\"title\":\"").Append(Sentence(random, 6)).Append("\",\"url\":\"/p/").Append(item)
                .Append("\",\"price\":").Append(random.Next(100, 99999)).Append("},");
            item++;
        }

        b.Append("{}]}</script>\n<footer><a href=\"/kontakt/\">Kontakt</a> <a href=\"/impressum\">Impressum</a> ");
        b.Append("<a href=\"https://www.facebook.com/site").Append(index).Append("\">Facebook</a> ");
        b.Append("<a href=\"https://www.instagram.com/site").Append(index).Append("/\">Instagram</a> ");
        b.Append("<a href=\"https://www.facebook.com/sharer/sharer.php?u=https://").Append(host).Append("\">Teilen</a>");
        b.Append("<p>Tel.: +49 30 ").Append(5000000 + index).Append(" · <a href=\"mailto:kontakt@").Append(host).Append("\">kontakt@")
            .Append(host).Append("</a></p></footer>\n</body>\n</html>\n");
        return b.ToString();
    }

    private static string Sentence(Random random, int words)
    {
        var b = new StringBuilder(words * 8);
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                b.Append(' ');
            }

            b.Append(Words[random.Next(Words.Length)]);
        }

        return b.ToString();
    }
}
