using ScraperSky.Scanning.Domains;

namespace ScraperSky.Scanning.Sitemaps;

/// Where a scan's sitemap reading may go: the scanned registrable domain (`example.com`, `www.example.com`,
/// `blog.example.com`), or another host only when the site's own robots.txt names a sitemap there (sitemaps on a CDN),
/// and only on ports 80 and 443. Index children, `<link rel="sitemap">` targets and redirects are all held to it, so a
/// hostile site cannot aim the scanner at other hosts and ports.
public sealed class SitemapScope
{
    private readonly string _domain;
    private readonly string _registrable;
    private readonly HashSet<string> _namedHosts = new(StringComparer.OrdinalIgnoreCase);

    public SitemapScope(string domain, IEnumerable<Uri> robotsSitemaps)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(robotsSitemaps);
        _domain = domain;
        _registrable = RegistrableDomain.Of(domain);
        foreach (var url in robotsSitemaps)
        {
            _namedHosts.Add(url.IdnHost.TrimEnd('.'));
        }
    }

    public bool Allows(Uri url) => RefusalReason(url) is null;

    /// Why <paramref name="url"/> is out of scope, or null when it may be read.
    public string? RefusalReason(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            return "not an http or https address; not read.";
        }

        if (url.Port is not (80 or 443))
        {
            return "not on port 80 or 443; not read.";
        }

        var host = url.IdnHost.TrimEnd('.');
        return RegistrableDomain.Same(host, _registrable) || _namedHosts.Contains(host)
            ? null
            : $"not on {_domain} nor on a host its robots.txt names; not read.";
    }
}
