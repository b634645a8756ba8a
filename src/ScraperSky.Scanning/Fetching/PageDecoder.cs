using System.Text;
using System.Text.RegularExpressions;

namespace ScraperSky.Scanning.Fetching;

/// Chooses a page's character encoding the way browsers do (WHATWG "encoding sniffing", simplified): a byte-order
/// mark first, then the Content-Type charset, then a `<meta charset>` or `http-equiv` declaration in the first
/// bytes, else UTF-8. Names the runtime does not know are skipped, so a bogus header falls through to the meta tag.
public static partial class PageDecoder
{
    private const int PrescanBytes = 4096;

    static PageDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Detect(ReadOnlySpan<byte> body, string? contentType, out int bomLength)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bomLength = 3;
            return new UTF8Encoding(false);
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            bomLength = 2;
            return Encoding.Unicode;
        }

        if (body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            bomLength = 2;
            return Encoding.BigEndianUnicode;
        }

        bomLength = 0;
        if (TryGetEncoding(CharsetOf(contentType), out var fromHeader))
        {
            return fromHeader;
        }

        // Read where it is decoded, on the stack: a string of the head per page, and one per meta tag, were most of
        // what choosing an encoding allocated.
        Span<char> head = stackalloc char[PrescanBytes];
        head = head[..Encoding.Latin1.GetChars(body[..Math.Min(body.Length, PrescanBytes)], head)];
        foreach (var meta in MetaTag().EnumerateMatches(head))
        {
            var tag = head.Slice(meta.Index, meta.Length);
            if (tag.IndexOf("charset", StringComparison.OrdinalIgnoreCase) < 0)
            {
                continue;
            }

            var charset = MetaCharset().Match(tag.ToString());
            if (charset.Success && TryGetEncoding(charset.Groups[1].Value, out var fromMeta))
            {
                // A meta tag cannot honestly declare UTF-16: it would not have been readable as ASCII.
                return fromMeta is UnicodeEncoding ? new UTF8Encoding(false) : fromMeta;
            }
        }

        return new UTF8Encoding(false);
    }

    public static string? CharsetOf(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }

        var match = MetaCharset().Match(contentType);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static bool TryGetEncoding(string? name, out Encoding encoding)
    {
        encoding = null!;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        var label = name.Trim().Trim('"', '\'').ToLowerInvariant();
        // The web platform reads these labels as windows-1252 (a superset that browsers and authors rely on).
        if (label is "iso-8859-1" or "latin1" or "l1" or "us-ascii" or "ascii" or "iso8859-1" or "cp1252")
        {
            label = "windows-1252";
        }

        try
        {
            var found = Encoding.GetEncoding(label);
            encoding = found.CodePage == Encoding.UTF8.CodePage ? new UTF8Encoding(false) : found;
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"<meta\b[^>]{0,512}>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaTag();

    [GeneratedRegex(@"charset\s*=\s*[""']?\s*([A-Za-z0-9_:.\-]{1,40})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaCharset();
}
