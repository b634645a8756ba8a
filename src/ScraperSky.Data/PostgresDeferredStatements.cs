using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ScraperSky.Data;

/// Sends the PostgreSQL writes waiting on a context (<see cref="RawStatements.DeferAsync"/>) before any command EF Core
/// runs on it and before its transaction commits, and drops them when the transaction rolls back: a deferred write is
/// never read past, reordered after another statement, or lost at a commit.
internal sealed class PostgresDeferredStatements : DbCommandInterceptor, IDbTransactionInterceptor
{
    public static readonly PostgresDeferredStatements Instance = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Flush(eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await FlushAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Flush(eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await FlushAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Flush(eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await FlushAsync(eventData.Context, cancellationToken);
        return result;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Flush(eventData.Context);
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await FlushAsync(eventData.Context, cancellationToken);
        return result;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Drop(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Drop(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Flush(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        if (context is ScraperSkyDbContext db)
        {
            RawStatements.Flush(db);
        }
    }

    private static Task FlushAsync(Microsoft.EntityFrameworkCore.DbContext? context, CancellationToken cancellationToken) =>
        context is ScraperSkyDbContext { DeferredStatements.Count: > 0 } db ? RawStatements.FlushAsync(db, cancellationToken) : Task.CompletedTask;

    private static void Drop(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        if (context is ScraperSkyDbContext db)
        {
            db.DeferredStatements = null;
        }
    }
}
