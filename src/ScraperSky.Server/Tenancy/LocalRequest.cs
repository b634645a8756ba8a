namespace ScraperSky.Server.Tenancy;

/// How <see cref="LocalMode"/> judges one request.
public enum LocalRequest
{
    /// Keys are required: local mode is off, or the request came through a proxy.
    NotLocal,

    /// The local user: no key needed.
    Local,

    /// Local mode is on but the request names another host: refused, as a DNS-rebinding page would send it.
    Rebound,
}
