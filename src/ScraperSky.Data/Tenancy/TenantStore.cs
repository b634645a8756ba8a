using Microsoft.EntityFrameworkCore;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Tenancy;

/// A key as issued: the secret is in <see cref="Key"/> and nowhere else, so it is shown once.
public sealed record IssuedApiKey(Guid Id, Guid TenantId, string Name, string Key);

/// The key a request presented, once found valid.
public sealed record ApiKeyIdentity(Guid KeyId, Guid TenantId);

/// Tenants and their API keys: what the CLI administers and the server authenticates against.
public sealed class TenantStore(ScraperSkyDbContext db, TimeProvider time)
{
    // Writing last_used_at on every request would turn each read into a write; a minute's resolution is enough.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<(Tenant Tenant, IssuedApiKey Key)> CreateTenantAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var tenant = new Tenant { Id = Guid.CreateVersion7(), Name = name, CreatedAt = now };
        var (entity, key) = NewKey(tenant.Id, "default", now);
        db.Tenants.Add(tenant);
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return (tenant, key);
    }

    /// Null when the tenant does not exist.
    public async Task<IssuedApiKey?> CreateKeyAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        if (!await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
        {
            return null;
        }

        var (entity, key) = NewKey(tenantId, name, time.GetUtcNow().UtcDateTime);
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// False when no such key exists; revoking a revoked key keeps its first revocation time.
    public async Task<bool> RevokeKeyAsync(Guid keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.ApiKeys.Where(k => k.Id == keyId && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        return await db.ApiKeys.AnyAsync(k => k.Id == keyId, cancellationToken);
    }

    /// The tenant of a key that exists and is not revoked; records its use.
    public async Task<ApiKeyIdentity?> FindActiveKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 512)
        {
            return null;
        }

        var hash = ApiKeyHasher.Hash(key);
        var found = await db.ApiKeys.AsNoTracking()
            .Where(k => k.KeyHash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.TenantId, k.LastUsedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (found.LastUsedAt is null || found.LastUsedAt < now - LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == found.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return new ApiKeyIdentity(found.Id, found.TenantId);
    }

    /// Local single-user mode names tenants in request bodies; the first request for one creates it.
    public async Task EnsureTenantAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
        {
            return;
        }

        var tenant = new Tenant { Id = tenantId, Name = $"tenant {tenantId:D}", CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Tenants.Add(tenant);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent request may have created it first; anything else is a real failure.
            db.Entry(tenant).State = EntityState.Detached;
            if (!await db.Tenants.AsNoTracking().AnyAsync(t => t.Id == tenantId, cancellationToken))
            {
                throw;
            }
        }
    }

    private static (ApiKey Entity, IssuedApiKey Key) NewKey(Guid tenantId, string name, DateTime now)
    {
        var secret = ApiKeyHasher.Generate();
        var entity = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Name = name,
            KeyHash = ApiKeyHasher.Hash(secret),
            CreatedAt = now,
        };
        return (entity, new IssuedApiKey(entity.Id, tenantId, name, secret));
    }
}
