using System.Buffers;

namespace ScraperSky.Scanning.Fetching;

/// Tells a bot-protection answer (a challenge, a CAPTCHA interstitial, a firewall's block page) from a page of the
/// site, so that a scan fails saying the site blocked it instead of reporting the challenge page as the site.
///
/// Ordinary pages carry some of the same things (Cloudflare injects its challenge-platform script into pages it lets
/// through; contact forms load reCAPTCHA or hCaptcha), so what counts depends on the status:
/// - `cf-mitigated: challenge` is Cloudflare saying so, whatever the status;
/// - an error answer (4xx, 5xx) is a challenge when it has a challenge title, a vendor's challenge or block marker
///   or a CAPTCHA widget, or a bot manager's header (DataDome);
/// - a success answer is one only when its title is a challenge title and it also carries a vendor marker or a
///   CAPTCHA widget: a real page titled "Security check" is possible, one that is also a CAPTCHA wall is not a page.
/// Only the first <see cref="ScanWindow"/> characters are read: challenge pages are small, and a site's page is not
/// searched end to end for this.
public static class BotChallenge
{
    private const int ScanWindow = 64 * 1024;

    // Marker, vendor: challenge scripts, block pages and CAPTCHA services, vendors before the generic widgets.
    private static readonly (SearchValues<string> Marker, string Vendor)[] Markers =
    [
        (Find("/cdn-cgi/challenge-platform/h/", "_cf_chl_opt", "cf-browser-verification", "cf-error-details", "cf_chl_"), "Cloudflare"),
        (Find("captcha-delivery.com", "datadome"), "DataDome"),
        (Find("px-captcha", "_pxAppId", "px-cloud.net", "perimeterx"), "PerimeterX"),
        (Find("/_sec/cp_challenge/", "errors.edgesuite.net", "bm-verify"), "Akamai"),
        (Find("_Incapsula_Resource", "Incapsula incident ID"), "Imperva"),
        (Find("Sucuri WebSite Firewall"), "Sucuri"),
        (Find("ddos-guard"), "DDoS-Guard"),
        (Find("hcaptcha.com", "h-captcha"), "hCaptcha"),
        (Find("google.com/recaptcha", "recaptcha.net/recaptcha", "g-recaptcha"), "reCAPTCHA"),
    ];

    // Title, vendor it implies (null: any vendor's).
    private static readonly (string Title, string? Vendor)[] Titles =
    [
        ("Just a moment...", "Cloudflare"),
        ("Just a moment…", "Cloudflare"),
        ("Attention Required! | Cloudflare", "Cloudflare"),
        ("Checking your browser", null),
        ("Verify you are human", null),
        ("Human verification", null),
        ("Are you a robot", null),
        ("Robot or human?", null),
        ("Pardon Our Interruption", "Imperva"),
        ("DDoS-Guard", "DDoS-Guard"),
        ("Security check", null),
        ("One more step", null),
    ];

    private static readonly SearchValues<string> TitleTag = SearchValues.Create(["<title"], StringComparison.OrdinalIgnoreCase);

    /// The blocking vendor ("Cloudflare", "reCAPTCHA" ...) when the answer is a challenge; "" when it is one of no
    /// vendor we know; null when it is not one.
    public static string? Detect(FetchedPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Headers.TryGetValue("cf-mitigated", out var mitigated) && mitigated.Any(v => v.Contains("challenge", StringComparison.OrdinalIgnoreCase)))
        {
            return "Cloudflare";
        }

        // Only the window is decoded: the rest of the page stays bytes until the extraction lane reads it.
        var window = ArrayPool<char>.Shared.Rent(ScanWindow);
        try
        {
            return Detect(page, window.AsSpan(0, page.Html.CopyStart(window.AsSpan(0, ScanWindow))));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(window);
        }
    }

    private static string? Detect(FetchedPage page, ReadOnlySpan<char> html)
    {
        var title = TitleOf(html);
        var titleVendor = (string?)null;
        var challengeTitle = false;
        foreach (var (text, vendor) in Titles)
        {
            if (title.StartsWith(text, StringComparison.OrdinalIgnoreCase) || title.EndsWith(text, StringComparison.OrdinalIgnoreCase))
            {
                (challengeTitle, titleVendor) = (true, vendor);
                break;
            }
        }

        if (page.IsSuccess && !challengeTitle)
        {
            return null;
        }

        string? markerVendor = null;
        foreach (var (marker, vendor) in Markers)
        {
            if (html.ContainsAny(marker))
            {
                markerVendor = vendor;
                break;
            }
        }

        if (markerVendor is null && page.Headers.ContainsKey("x-datadome"))
        {
            markerVendor = "DataDome";
        }

        var isChallenge = page.IsSuccess ? markerVendor is not null : challengeTitle || markerVendor is not null;
        return isChallenge ? markerVendor ?? titleVendor ?? "" : null;
    }

    private static ReadOnlySpan<char> TitleOf(ReadOnlySpan<char> html)
    {
        var start = html.IndexOfAny(TitleTag);
        if (start < 0)
        {
            return [];
        }

        var open = html[start..].IndexOf('>');
        if (open < 0)
        {
            return [];
        }

        var rest = html[(start + open + 1)..];
        var end = rest.IndexOf('<');
        return (end < 0 ? rest : rest[..end]).Trim();
    }

    private static SearchValues<string> Find(params string[] markers) => SearchValues.Create(markers, StringComparison.OrdinalIgnoreCase);
}
