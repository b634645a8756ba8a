using Microsoft.EntityFrameworkCore;

namespace ScraperSky.Data.Sitemaps;

/// Makes the sink for one scan: the worker knows the tenant and domain only when it claims a job.
public sealed class SitemapStoreFactory(IDbContextFactory<ScraperSkyDbContext> contexts, TimeProvider time)
{
    public SitemapStore Create(Guid tenantId, string domain) => new(contexts, time, tenantId, domain);
}
