using System.Globalization;
using System.Text;

namespace ScraperSky.Benchmarks.Extraction;

/// A generated dataset of the size and pattern mix of the public Wappalyzer-schema datasets (about 7,500
/// technologies): mostly `scriptSrc` and `html` patterns, many of the latter anchored on common tags
/// (`<link[^>]+`, `<div[^>]+`), then meta, headers, cookies, url and dom, versions and confidence tags, implies
/// chains, and a small share of patterns with no literal at all, which must run on every page.
internal static class FingerprintSyntheticDataset
{
    public const int Size = 7_500;

    public static string Json(int size = Size)
    {
        var b = new StringBuilder(size * 300);
        b.Append('{');
        for (var i = 0; i < size; i++)
        {
            if (i > 0)
            {
                b.Append(",\n");
            }

            var id = Id(i);
            b.Append('"').Append(Name(i)).Append("\":{\"cats\":[").Append(1 + (i % 40)).Append(']');
            switch (i % 20)
            {
                case < 8:
                    b.Append(",\"scriptSrc\":[\"/syn").Append(id).Append("(?:[.-]min)?\\\\.js(?:\\\\?ver=([\\\\d.]+))?\\\\;version:\\\\1\"");
                    if (i % 3 == 0)
                    {
                        b.Append(",\"cdn\\\\.syn").Append(id).Append("\\\\.net/\"");
                    }

                    b.Append(']');
                    break;
                case < 14:
                    b.Append(",\"html\":[\"<div[^>]+class=[\\\"'][^\\\"']*syn").Append(id).Append("-root\",\"<link[^>]+/syn").Append(id)
                        .Append("/[^\\\"']+\\\\.css\\\\?ver=([\\\\d.]+)\\\\;version:\\\\1\"]");
                    break;
                case 14:
                    b.Append(",\"meta\":{\"generator\":\"^SynGen").Append(id).Append(" ?([\\\\d.]+)?\\\\;version:\\\\1\"}");
                    break;
                case 15:
                    b.Append(",\"headers\":{\"X-Syn-").Append(id).Append("\":\"\",\"Server\":\"^SynServer").Append(id).Append("\"}");
                    break;
                case 16:
                    b.Append(",\"cookies\":{\"syn_").Append(id).Append("\":\"\"}");
                    break;
                case 17:
                    b.Append(",\"url\":\"\\\\.syn").Append(id).Append("\\\\.app\",\"html\":\"<!-- Powered by Syn").Append(id).Append("\\\\;confidence:50\"");
                    break;
                case 18:
                    b.Append(",\"dom\":\"div.syn-dom-").Append(id).Append("\"");
                    break;
                default:
                    // About one in 150 technologies has an html pattern with no literal to prefilter on.
                    b.Append(i % 150 == 19 ? ",\"html\":\"(?:data|aria)-[a-z]{3}" + id[^2..] + "x\\\\d\"" : ",\"scripts\":\"synScript" + id + "\\\\(\"");
                    break;
            }

            if (i % 5 == 0 && i > 0)
            {
                b.Append(",\"implies\":\"").Append(Name(i - 1)).Append("\\\\;confidence:50\"");
            }

            b.Append('}');
        }

        b.Append('}');
        return b.ToString();
    }

    /// Markup that makes technology <paramref name="i"/> detectable on a page (for the kinds a page can show).
    public static string MarkerFor(int i)
    {
        var id = Id(i);
        return (i % 20) switch
        {
            < 8 => $"<script src=\"/assets/syn{id}.min.js?ver=1.{i % 10}\"></script>",
            < 14 => $"<div class=\"wrap syn{id}-root\"></div>",
            14 => $"<meta name=\"generator\" content=\"SynGen{id} 2.0\">",
            17 => $"<!-- Powered by Syn{id} -->",
            18 => $"<div class=\"syn-dom-{id}\"></div>",
            _ => $"<script>synScript{id}(1);</script>",
        };
    }

    private static string Id(int i) => i.ToString("D4", CultureInfo.InvariantCulture);

    private static string Name(int i) => "Synthetic Tech " + Id(i);
}
