namespace ScraperSky.Server.Tenancy;

/// The `Auth` configuration section.
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// True demands an API key even when the server listens only on loopback (where local mode would apply).
    public bool RequireApiKey { get; set; }
}
