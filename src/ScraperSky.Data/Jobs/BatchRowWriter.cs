using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Jobs;

/// Writes a batch's job and entry rows in bulk inside the caller's transaction: EF's change tracker costs more per
/// row than the database does, and a 10,000-domain batch is 20,000 rows. Each provider takes its fastest path.
internal static class BatchRowWriter
{
    public static Task WriteAsync(
        ScraperSkyDbContext db, IReadOnlyList<Job> jobs, IReadOnlyList<BatchEntry> entries, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("A batch's rows are written inside the transaction that adds the batch.");
        return db.IsPostgres
            ? PostgresBatchRowWriter.WriteAsync(transaction, jobs, entries, cancellationToken)
            : SqliteBatchRowWriter.WriteAsync(transaction, jobs, entries, cancellationToken);
    }
}
