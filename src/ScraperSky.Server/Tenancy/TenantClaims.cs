using System.Security.Claims;

namespace ScraperSky.Server.Tenancy;

public static class TenantClaims
{
    public const string TenantId = "scrapersky:tenant_id";
    public const string ApiKeyId = "scrapersky:api_key_id";

    /// The tenant of the request's API key; null in local mode, where no key is needed.
    public static Guid? KeyTenantId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(TenantId), out var id) ? id : null;
}
