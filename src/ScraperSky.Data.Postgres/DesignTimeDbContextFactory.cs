using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ScraperSky.Data.Postgres;

/// Lets `dotnet ef` build the Postgres model of the context without a running host.
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ScraperSkyDbContext>
{
    public ScraperSkyDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ScraperSkyDbContext>();
        DataServiceCollectionExtensions.Configure(builder, DatabaseProvider.Postgres, "Host=localhost;Database=scrapersky_design");
        return new ScraperSkyDbContext(builder.Options);
    }
}
