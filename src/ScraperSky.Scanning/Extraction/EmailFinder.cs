using System.Globalization;
using System.Text.RegularExpressions;

namespace ScraperSky.Scanning.Extraction;

/// Finds email addresses in text and attribute values without a backtracking regex over the page: it looks for each
/// `@` and grows the address outwards. Rejects asset names (`logo@2x.png`), package specifiers (`bootstrap@5.3.0`),
/// example and placeholder addresses, and error-tracker noise; normalises to lower case.
internal static partial class EmailFinder
{
    private const int MaxLocal = 64;
    private const int MaxAddress = 254;

    /// Addresses kept per page: no site lists more, and the de-duplication stays cheap on a page that lists thousands.
    internal const int MaxAddresses = 1_000;

    private static readonly HashSet<string> AssetExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "tif", "tiff", "heic", "css", "js", "mjs",
        "map", "json", "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "mov", "mp3", "wav", "pdf", "zip", "php",
        "html", "htm", "aspx", "txt", "xml",
    };

    private static readonly HashSet<string> PlaceholderDomains = new(StringComparer.OrdinalIgnoreCase)
    {
        "domain.com", "yourdomain.com", "yoursite.com", "yourcompany.com", "yourwebsite.com", "mysite.com", "mydomain.com",
        "website.com", "company.com", "email.com", "test.com", "sample.com", "placeholder.com", "acme.com",
        "sentry.io", "wixpress.com", "sentry-next.wixpress.com",
    };

    private static readonly HashSet<string> PlaceholderLocals = new(StringComparer.OrdinalIgnoreCase)
    {
        "test", "your", "you", "youremail", "your.email", "your-email", "your_email", "yourname", "your.name", "name",
        "email", "e-mail", "user", "username", "someone", "somebody", "john.doe", "jane.doe", "johndoe", "janedoe",
        "firstname.lastname", "first.last", "firstname", "max.mustermann", "mustermann", "noreply", "no-reply",
        "donotreply", "do-not-reply", "example",
    };

    /// Adds every acceptable address in <paramref name="text"/> to <paramref name="found"/>.
    public static void FindIn(ReadOnlySpan<char> text, ICollection<string> found)
    {
        if (text.Length == 0)
        {
            return;
        }

        // Obfuscations written for people (`info [at] shop [dot] de`) are only undone in their bracketed forms; a bare
        // " at " is ordinary English. Only a page that has them pays for a rewritten copy of its text.
        if (HasBracketedWord(text))
        {
            FindAddresses(BracketedDot().Replace(BracketedAt().Replace(text.ToString(), "@"), "."), found);
            return;
        }

        FindAddresses(text, found);
    }

    /// Whether <paramref name="text"/> has what <see cref="BracketedAt"/> or <see cref="BracketedDot"/> match, found by
    /// hopping from bracket to bracket rather than running either regex over a whole page's text.
    private static bool HasBracketedWord(ReadOnlySpan<char> text)
    {
        var open = text.IndexOfAny('[', '(', '{');
        while (open >= 0)
        {
            var rest = text[(open + 1)..].TrimStart();
            var word = rest.StartsWith("at", StringComparison.OrdinalIgnoreCase) ? 2
                : rest.StartsWith("dot", StringComparison.OrdinalIgnoreCase) ? 3
                : rest.StartsWith('@') || rest.StartsWith('.') ? 1
                : 0;
            if (word > 0 && rest[word..].TrimStart() is [']' or ')' or '}', ..])
            {
                return true;
            }

            var next = text[(open + 1)..].IndexOfAny('[', '(', '{');
            open = next < 0 ? -1 : open + 1 + next;
        }

        return false;
    }

    private static void FindAddresses(ReadOnlySpan<char> text, ICollection<string> found)
    {
        var at = text.IndexOf('@');
        while (at >= 0 && found.Count < MaxAddresses)
        {
            var start = at;
            while (start > 0 && start > at - MaxLocal && IsLocalChar(text[start - 1]))
            {
                start--;
            }

            var end = at + 1;
            while (end < text.Length && end - start < MaxAddress && IsDomainChar(text[end]))
            {
                end++;
            }

            if (TryNormalize(text[start..at].ToString(), text[(at + 1)..end].ToString(), out var address) && !found.Contains(address))
            {
                found.Add(address);
            }

            var next = text[(at + 1)..].IndexOf('@');
            at = next < 0 ? -1 : at + 1 + next;
        }
    }

    /// An address from a `mailto:` link: percent-decoded, query (`?subject=`) dropped, possibly several comma-separated.
    public static void FromMailto(string href, ICollection<string> found)
    {
        var value = href.AsSpan(href.IndexOf(':') + 1);
        var query = value.IndexOf('?');
        if (query >= 0)
        {
            value = value[..query];
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(value.ToString());
        }
        catch (UriFormatException)
        {
            return;
        }

        foreach (var part in decoded.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            FindIn(part, found);
        }
    }

    /// Cloudflare's email protection: hex, the first byte a key XORed into every following byte.
    public static string? DecodeCloudflare(string hex)
    {
        if (hex.Length < 4 || hex.Length % 2 != 0 || hex.Length > 512)
        {
            return null;
        }

        if (!byte.TryParse(hex.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var key))
        {
            return null;
        }

        var chars = new char[(hex.Length / 2) - 1];
        for (var i = 2; i < hex.Length; i += 2)
        {
            if (!byte.TryParse(hex.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                return null;
            }

            chars[(i / 2) - 1] = (char)(b ^ key);
        }

        return new string(chars);
    }

    internal static bool TryNormalize(string local, string domain, out string address)
    {
        address = string.Empty;
        local = local.TrimStart('.', '-', '+');
        domain = domain.TrimEnd('.', '-');
        if (local.Length == 0 || domain.Length < 4 || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        var labels = domain.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length == 0 || l.Length > 63 || l.StartsWith('-') || l.EndsWith('-')))
        {
            return false;
        }

        var tld = labels[^1];
        if (tld.Length < 2 || tld.Length > 24 || !tld.All(char.IsAsciiLetter) || AssetExtensions.Contains(tld))
        {
            return false;
        }

        domain = domain.ToLowerInvariant();
        local = local.ToLowerInvariant();
        if (IsPlaceholder(local, domain, labels))
        {
            return false;
        }

        address = local + "@" + domain;
        return true;
    }

    private static bool IsPlaceholder(string local, string domain, string[] labels)
    {
        if (PlaceholderLocals.Contains(local) || labels.Any(l => l.Equals("example", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        foreach (var placeholder in PlaceholderDomains)
        {
            if (domain == placeholder
                || (domain.EndsWith(placeholder, StringComparison.Ordinal) && domain[^(placeholder.Length + 1)] == '.'))
            {
                return true;
            }
        }

        // Error-tracker DSNs and build hashes put a long hex key where a mailbox name would be.
        return local.Length >= 16 && local.All(char.IsAsciiHexDigit);
    }

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static bool IsDomainChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

    [GeneratedRegex(@"\s*[\[\(\{]\s*(?:at|@)\s*[\]\)\}]\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BracketedAt();

    [GeneratedRegex(@"\s*[\[\(\{]\s*(?:dot|\.)\s*[\]\)\}]\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BracketedDot();
}
