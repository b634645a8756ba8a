using System.Security.Claims;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Tenancy;

namespace ScraperSky.Server.Tenancy;

/// Which tenant a request acts for. With a key, the key's tenant, and a body `tenant_id` naming another is refused;
/// in local mode, the body's `tenant_id` or the default tenant.
public sealed class RequestTenant(TenantStore tenants)
{
    public const string MismatchDetail = "tenant_id does not match the tenant of the API key.";

    /// The tenant to submit work for; null when the body names a tenant other than the key's.
    public async Task<Guid?> ForSubmissionAsync(ClaimsPrincipal user, Guid? bodyTenantId, CancellationToken cancellationToken)
    {
        if (user.KeyTenantId() is { } keyTenant)
        {
            return bodyTenantId is null || bodyTenantId == keyTenant ? keyTenant : null;
        }

        var tenantId = bodyTenantId ?? Tenant.DefaultId;
        await tenants.EnsureTenantAsync(tenantId, cancellationToken);
        return tenantId;
    }

    /// The tenant whose domains and batches a listing shows: the key's, or in local mode the `tenant_id` asked for or
    /// the default tenant; null when the query names a tenant other than the key's.
    public static Guid? ForListing(ClaimsPrincipal user, Guid? queryTenantId) =>
        user.KeyTenantId() is { } keyTenant
            ? queryTenantId is null || queryTenantId == keyTenant ? keyTenant : null
            : queryTenantId ?? Tenant.DefaultId;

    /// The tenant whose jobs a request may read; null in local mode, where the single user reads every tenant's
    /// (as v1 clients poll status URLs without naming a tenant).
    public static Guid? ReadScope(ClaimsPrincipal user) => user.KeyTenantId();
}
