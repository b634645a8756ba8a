namespace ScraperSky.Scanning;

/// A profile of `social_links` with the pages that link it. <see cref="Platform"/> is the `social_links` field name.
public sealed record SocialProfile(string Platform, string Url, IReadOnlyList<string> Pages);
