using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Jobs;

/// One prepared INSERT per table, bound and stepped once per row: SQLite runs in this process, so a statement is a
/// function call, not a round trip, and parsing it once is what matters.
internal static class SqliteBatchRowWriter
{
    private const string InsertJob = """
        INSERT INTO jobs (id, tenant_id, type, domain, batch_id, status, progress_step, progress_message, options, error,
                          attempts, max_attempts, next_attempt_at, created_at, completed_at, end_sequence)
        VALUES ($id, $tenant, $type, $domain, $batch, $status, $step, $message, $options, $error,
                $attempts, $max_attempts, $next_attempt_at, $created_at, $completed_at, $end_sequence)
        """;

    private const string InsertEntry = """
        INSERT INTO batch_entries (batch_id, row, input, job_id, cells) VALUES ($batch, $row, $input, $job, $cells)
        """;

    public static async Task WriteAsync(
        DbTransaction transaction, IReadOnlyList<Job> jobs, IReadOnlyList<BatchEntry> entries, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)transaction.Connection!;
        await using (var command = Prepare(connection, transaction, InsertJob))
        {
            var p = command.Parameters;
            foreach (var job in jobs)
            {
                p["$id"].Value = Text(job.Id);
                p["$tenant"].Value = Text(job.TenantId);
                p["$type"].Value = job.Type;
                p["$domain"].Value = job.Domain;
                p["$batch"].Value = job.BatchId is { } batchId ? Text(batchId) : DBNull.Value;
                p["$status"].Value = EnumNames.ToWire(job.Status);
                p["$step"].Value = (object?)job.ProgressStep ?? DBNull.Value;
                p["$message"].Value = (object?)job.ProgressMessage ?? DBNull.Value;
                p["$options"].Value = (object?)job.Options ?? DBNull.Value;
                p["$error"].Value = (object?)job.Error ?? DBNull.Value;
                p["$attempts"].Value = job.Attempts;
                p["$max_attempts"].Value = job.MaxAttempts;
                p["$next_attempt_at"].Value = Text(job.NextAttemptAt);
                p["$created_at"].Value = Text(job.CreatedAt);
                p["$completed_at"].Value = job.CompletedAt is { } completedAt ? Text(completedAt) : DBNull.Value;
                p["$end_sequence"].Value = (object?)job.EndSequence ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var command = Prepare(connection, transaction, InsertEntry))
        {
            var p = command.Parameters;
            foreach (var entry in entries)
            {
                p["$batch"].Value = Text(entry.BatchId);
                p["$row"].Value = entry.Row;
                p["$input"].Value = entry.Input;
                p["$job"].Value = Text(entry.JobId);
                p["$cells"].Value = (object?)entry.Cells ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        foreach (var name in sql[sql.IndexOf("VALUES", StringComparison.Ordinal)..].Split(['(', ')', ',', ' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (name.StartsWith('$'))
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
            }
        }

        command.Prepare();
        return command;
    }

    // Guids and timestamps in the text forms EF Core's SQLite provider writes, so EF reads and compares them alike.
    private static string Text(Guid value) => value.ToString().ToUpperInvariant();

    private static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
