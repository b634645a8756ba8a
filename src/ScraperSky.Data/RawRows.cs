using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace ScraperSky.Data;

/// A raw statement whose rows the caller reads itself: it runs the way `ExecuteSqlAsync` runs its statement (parameters
/// typed by the provider's mappings, the context's connection and transaction, interceptors and logging), without the
/// LINQ query pipeline `FromSql` takes to materialise entities. On every ended job that pipeline (expression tree, query
/// cache lookup, parameter extraction, materialiser) cost several times the statement it ran.
internal static class RawRows
{
    public static async Task<RelationalDataReader> ReadAsync(
        ScraperSkyDbContext db, FormattableString sql, CancellationToken cancellationToken)
    {
        var command = db.GetService<IRawSqlCommandBuilder>().Build(sql.Format, sql.GetArguments()!, db.Model);
        return await command.RelationalCommand.ExecuteReaderAsync(
            new RelationalCommandParameterObject(
                db.GetService<IRelationalConnection>(), command.ParameterValues, readerColumns: null, db,
                db.GetService<IRelationalCommandDiagnosticsLogger>(), CommandSource.FromSqlQuery),
            cancellationToken);
    }
}
