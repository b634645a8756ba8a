using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

// SqliteRelationalConnection is EF Core's provider-internal type; replacing it is the one way to choose the connection
// object it makes.
#pragma warning disable EF1001
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;

namespace ScraperSky.Data;

/// EF Core's SQLite connection without the SQL functions it adds for LINQ translations this model never uses (`regexp`
/// for `Regex.IsMatch`, `ef_add`, `ef_mod` and others for decimal arithmetic: no entity has a decimal). Functions live
/// with the connection object, and Microsoft.Data.Sqlite registers every one of them again on the pooled native
/// connection at each open: seven registrations, each allocating its callbacks, on every request and unit of work
/// (a tenth of a pending scan's status read).
internal sealed class SqliteConnectionWithoutFunctions(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    protected override DbConnection CreateDbConnection() => new SqliteConnection(GetValidatedConnectionString());
}
