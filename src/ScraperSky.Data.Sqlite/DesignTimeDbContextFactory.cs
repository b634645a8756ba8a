using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ScraperSky.Data.Sqlite;

/// Lets `dotnet ef` build the Sqlite model of the context without a running host.
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ScraperSkyDbContext>
{
    public ScraperSkyDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<ScraperSkyDbContext>();
        DataServiceCollectionExtensions.Configure(builder, DatabaseProvider.Sqlite, "Data Source=design-time.db");
        return new ScraperSkyDbContext(builder.Options);
    }
}
