namespace ScraperSky.Scanning.Extraction;

/// Every URL of a result in one host form, the one `final_url` has: an internationalised host in its ASCII (punycode)
/// form, so that `https://bücher.example/logo.png` reads `https://xn--bcher-kva.example/logo.png`. Pages, redirects
/// and links may write either form; clients compare and join URLs as strings.
public static class HostForm
{
    public static string Ascii(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return string.Equals(url.Host, url.IdnHost, StringComparison.Ordinal)
            ? url.AbsoluteUri
            : new UriBuilder(url) { Host = url.IdnHost }.Uri.AbsoluteUri;
    }

    public static string? Ascii(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Ascii(uri) : url;
}
