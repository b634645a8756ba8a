using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data.Jobs;

/// Binary COPY of the jobs, then of the entries: one round trip each, whatever the batch's size.
internal static class PostgresBatchRowWriter
{
    public static async Task WriteAsync(
        DbTransaction transaction, IReadOnlyList<Job> jobs, IReadOnlyList<BatchEntry> entries, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)transaction.Connection!;
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY jobs (id, tenant_id, type, domain, batch_id, status, progress_step, progress_message, options, error, " +
            "attempts, max_attempts, next_attempt_at, created_at, completed_at, end_sequence) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var job in jobs)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(job.Id, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(job.TenantId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(job.Type, NpgsqlDbType.Varchar, cancellationToken);
                await importer.WriteAsync(job.Domain, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(importer, job.BatchId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(EnumNames.ToWire(job.Status), NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(importer, job.ProgressStep, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(importer, job.ProgressMessage, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(importer, job.Options, NpgsqlDbType.Jsonb, cancellationToken);
                await WriteNullableAsync(importer, job.Error, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(job.Attempts, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(job.MaxAttempts, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(job.NextAttemptAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await importer.WriteAsync(job.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await WriteNullableAsync(importer, job.CompletedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await WriteNullableAsync(importer, job.EndSequence, NpgsqlDbType.Bigint, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY batch_entries (batch_id, row, input, job_id, cells) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var entry in entries)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(entry.BatchId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(entry.Row, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(entry.Input, NpgsqlDbType.Varchar, cancellationToken);
                await importer.WriteAsync(entry.JobId, NpgsqlDbType.Uuid, cancellationToken);
                await WriteNullableAsync(importer, entry.Cells, NpgsqlDbType.Text, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await importer.WriteAsync(value, type, cancellationToken);
        }
    }
}
