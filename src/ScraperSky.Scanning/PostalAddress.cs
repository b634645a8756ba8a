namespace ScraperSky.Scanning;

/// A postal address as published; parts the source did not give are null. <see cref="Country"/> is ISO 3166 alpha-2
/// when it could be told, else as written.
public sealed record PostalAddress(string? Street, string? Postcode, string? City, string? Country, string Page);
