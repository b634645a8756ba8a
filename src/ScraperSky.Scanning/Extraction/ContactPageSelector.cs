using System.Text;

namespace ScraperSky.Scanning.Extraction;

/// Chooses the same-site pages most likely to carry contact details, from a homepage's links. Scores the link's path
/// and text against words for contact, imprint, about, team and legal pages in the languages our users' sites speak.
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

    private static readonly string[] SkippedExtensions =
        [".pdf", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".zip", ".mp4", ".mp3", ".doc", ".docx", ".xml", ".css", ".js"];

    public static IReadOnlyList<Uri> Select(Uri homepage, IEnumerable<PageLink> links, int max)
    {
        if (max <= 0)
        {
            return [];
        }

        var site = SiteHost(homepage.IdnHost);
        var home = Normalize(homepage);
        var scored = new Dictionary<string, (Uri Url, int Score, int Order)>(StringComparer.Ordinal);
        var order = 0;
        foreach (var link in links)
        {
            order++;
            if (link.Url is not { } url || SiteHost(url.IdnHost) != site
                || SkippedExtensions.Any(e => url.AbsolutePath.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var key = Normalize(url);
            if (key == home)
            {
                continue;
            }

            var score = Score(url.AbsolutePath, link.Text);
            if (score <= 0)
            {
                continue;
            }

            if (!scored.TryGetValue(key, out var existing) || existing.Score < score)
            {
                var target = new UriBuilder(url) { Fragment = string.Empty }.Uri;
                scored[key] = (existing.Url ?? target, score, existing.Order == 0 ? order : existing.Order);
            }
        }

        return [.. scored.Values
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Url.AbsolutePath.Length)
            .ThenBy(c => c.Order)
            .Take(max)
            .Select(c => c.Url)];
    }

    // The pages where a business must state who it is (§ 5 DDG, LCEN art. 6, LSSI art. 10, Italian and Dutch law).
    private static readonly string[] LegalNoticeWords =
    [
        "impressum", "imprint", "mentions-legales", "informations-legales", "aviso-legal", "nota-legal", "note-legali",
        "informazioni-legali", "colofon", "legal-notice", "site-notice",
    ];

    /// Whether a page is a legal notice, by its path or title (not its text: every German footer links "Impressum").
    public static bool IsLegalNotice(Uri url, string? title)
    {
        var haystack = Fold(Uri.UnescapeDataString(url.AbsolutePath)) + " " + (title is null ? string.Empty : Fold(title).Replace(' ', '-'));
        return LegalNoticeWords.Any(w => haystack.Contains(w, StringComparison.Ordinal));
    }

    private static int Score(string path, string text)
    {
        var haystack = Fold(Uri.UnescapeDataString(path)) + " " + Fold(text).Replace(' ', '-');
        var best = 0;
        foreach (var (word, score) in Words)
        {
            if (haystack.Contains(word, StringComparison.Ordinal))
            {
                best = Math.Max(best, score);
            }
        }

        // Deep paths (/blog/2021/05/how-we-contacted-our-customers) are articles, not the site's contact page.
        var depth = path.Count(c => c == '/');
        return best == 0 ? 0 : best - (3 * Math.Max(0, depth - 2));
    }

    /// Lower case without accents, so "Über uns" and "À propos" meet "uber-uns" and "a-propos". A table rather than
    /// Unicode decomposition: the service runs with invariant globalization.
    private static string Fold(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.ToLowerInvariant())
        {
            builder.Append(c switch
            {
                'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' => "a",
                'ç' => "c",
                'è' or 'é' or 'ê' or 'ë' => "e",
                'ì' or 'í' or 'î' or 'ï' => "i",
                'ñ' => "n",
                'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ø' => "o",
                'ù' or 'ú' or 'û' or 'ü' => "u",
                'ý' or 'ÿ' => "y",
                'ß' => "ss",
                '_' => "-",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    // Compared in ASCII form: a page may link to its own IDN host in Unicode while the homepage URL is punycode.
    private static string SiteHost(string host)
    {
        host = host.ToLowerInvariant().TrimEnd('.');
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    /// The key two links to the same page share: no fragment, no trailing slash, no `www.`.
    private static string Normalize(Uri url) =>
        SiteHost(url.IdnHost) + url.AbsolutePath.TrimEnd('/') + url.Query;
}
