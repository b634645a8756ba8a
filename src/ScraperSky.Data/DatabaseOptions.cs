namespace ScraperSky.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// The `Database` configuration section; the connection string is `ConnectionStrings:ScraperSky`.
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "ScraperSky";
    public const string DefaultSqliteConnectionString = "Data Source=scrapersky.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
