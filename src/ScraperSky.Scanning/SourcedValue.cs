namespace ScraperSky.Scanning;

/// A fact and the page it was read on.
public sealed record SourcedValue(string Value, string Page);
