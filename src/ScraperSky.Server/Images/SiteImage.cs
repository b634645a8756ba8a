namespace ScraperSky.Server.Images;

/// A site's favicon or logo as fetched, or why it could not be: exactly one of <see cref="Bytes"/> and
/// <see cref="Failure"/> is set.
public sealed record SiteImage(byte[]? Bytes, ImageKind? Kind, string? Failure)
{
    public static SiteImage Of(byte[] bytes, ImageKind kind) => new(bytes, kind, null);

    public static SiteImage Failed(string reason) => new(null, null, reason);
}
