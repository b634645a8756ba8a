using System.Data.Common;
using Microsoft.Data.Sqlite;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Jobs;

/// One INSERT per table, prepared once per connection and bound by position for each row (<see cref="RawStatements"/>):
/// SQLite runs in this process, so a statement is a function call, not a round trip. Through Microsoft.Data.Sqlite's
/// commands each row cost a data reader, and each of its 21 parameters a search of the statement's parameter names
/// (`sqlite3_bind_parameter_index`) with the name transcoded first: 58% of a fresh server's first 10,000-domain
/// submission went to writing the rows, little more than half of it in SQLite's own inserts.
internal static class SqliteBatchRowWriter
{
    private const string InsertJob = """
        INSERT INTO jobs (id, tenant_id, type, domain, batch_id, status, progress_step, progress_message, options, error,
                          attempts, max_attempts, next_attempt_at, created_at, completed_at, end_sequence)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
        """;

    private const string InsertEntry = "INSERT INTO batch_entries (batch_id, row, input, job_id, cells) VALUES (?1, ?2, ?3, ?4, ?5)";

    public static Task WriteAsync(
        DbTransaction transaction, IReadOnlyList<Job> jobs, IReadOnlyList<BatchEntry> entries, CancellationToken cancellationToken)
    {
        // The statements run on the connection's open transaction; Guids and timestamps are bound in the text forms EF
        // Core's SQLite provider writes, so EF reads and compares them alike.
        var connection = (SqliteConnection)transaction.Connection!;
        var job = new object?[16];
        foreach (var row in jobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            job[0] = row.Id;
            job[1] = row.TenantId;
            job[2] = row.Type;
            job[3] = row.Domain;
            job[4] = row.BatchId;
            job[5] = EnumNames.ToWire(row.Status);
            job[6] = row.ProgressStep;
            job[7] = row.ProgressMessage;
            job[8] = row.Options;
            job[9] = row.Error;
            job[10] = row.Attempts;
            job[11] = row.MaxAttempts;
            job[12] = row.NextAttemptAt;
            job[13] = row.CreatedAt;
            job[14] = row.CompletedAt;
            job[15] = row.EndSequence;
            RawStatements.Execute(connection, InsertJob, job);
        }

        var entry = new object?[5];
        foreach (var row in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            entry[0] = row.BatchId;
            entry[1] = row.Row;
            entry[2] = row.Input;
            entry[3] = row.JobId;
            entry[4] = row.Cells;
            RawStatements.Execute(connection, InsertEntry, entry);
        }

        return Task.CompletedTask;
    }
}
