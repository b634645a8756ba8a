using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SQLitePCL;

namespace ScraperSky.Data;

/// Raw statements on the context's connection and transaction, written as interpolated strings whose holes are
/// parameters. On SQLite each statement text is prepared once per physical connection and kept with it:
/// Microsoft.Data.Sqlite prepares every command anew (a command's statements die with it, and EF Core makes one per call),
/// and parsing a job's dozen statements cost SQLite more than running them (92 µs to prepare the domain row's upsert
/// against 51 µs to run it, on a copy of a load run's database). On PostgreSQL a statement is an Npgsql command with
/// positional parameters (`$1`), its text made once per statement (Npgsql prepares it itself, `Max Auto Prepare`).
/// EF Core's `ExecuteSqlAsync` built the text and type-mapped each argument on every call, and Npgsql then parsed the
/// text for named placeholders and semicolons; a command with positional parameters goes out as written. An argument
/// is typed by its CLR type as EF Core's mappings type it (uuid, text, timestamptz for a UTC time, text[], ...), or
/// passed as it is when it is an <see cref="NpgsqlParameter"/> (jsonb, typed arrays); null is sent untyped, as
/// `ExecuteSqlAsync` sent it. One statement per text on PostgreSQL (the extended protocol's rule for parameters).
internal static class RawStatements
{
    // Keyed by the native handle object, which lives as long as the physical connection (as in SqliteConnectionInterceptor).
    private static readonly ConditionalWeakTable<sqlite3, PreparedStatements> Prepared = [];

    // PostgreSQL's texts, keyed by the interpolated string's format (a literal of the calling code): a few dozen.
    private static readonly ConcurrentDictionary<string, string> PostgresTexts = new(StringComparer.Ordinal);

    /// Runs <paramref name="sql"/>; returns the number of rows it changed. Arguments are bound in the forms EF Core's
    /// SQLite provider writes (Guids as upper-case text, timestamps as `yyyy-MM-dd HH:mm:ss.FFFFFFF`, booleans as 0/1),
    /// so rows written here read back through EF Core alike.
    public static async Task<int> ExecuteAsync(ScraperSkyDbContext db, FormattableString sql, CancellationToken cancellationToken)
    {
        if (db.IsPostgres)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                if (TakeDeferred(db) is { } deferred)
                {
                    // With the writes waiting before it, in one round trip; its own count read from its batch command.
                    await using var batch = PostgresBatch(db, deferred);
                    var last = BatchCommand(sql);
                    batch.BatchCommands.Add(last);
                    await batch.ExecuteNonQueryAsync(cancellationToken);
                    return last.RecordsAffected;
                }

                await using var command = PostgresCommand(db, sql);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
            return Prepared.GetValue(handle, static h => new PreparedStatements(h)).Execute(sql);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// Runs <paramref name="sql"/> and reads each row it returns with <paramref name="read"/>, as <see cref="ExecuteAsync"/>
    /// runs it. The per-job reads (a domain's last scan, a tenant's webhooks, a batch's counters) went through EF Core's
    /// query pipeline (expression tree, query cache, materialiser) and on SQLite were parsed again on every ended job.
    public static async Task<List<T>> ReadAsync<T>(
        ScraperSkyDbContext db, FormattableString sql, Func<RawRow, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await ReadEachAsync(db, [new RawRead(sql, row => rows.Add(read(row)))], cancellationToken);
        return rows;
    }

    /// Runs <paramref name="reads"/> in order, each row of each to its callback: on PostgreSQL in one round trip (an
    /// <see cref="NpgsqlBatch"/>, with the writes waiting before them), so that what a group of completions reads goes
    /// once for the group rather than once per job. Each statement must return rows (a SELECT, or a write with
    /// RETURNING), zero or more: the reader's result sets are matched to the reads in order.
    public static async Task ReadEachAsync(ScraperSkyDbContext db, IReadOnlyList<RawRead> reads, CancellationToken cancellationToken)
    {
        if (reads.Count == 0)
        {
            return;
        }

        if (db.IsPostgres)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var batch = PostgresBatch(db, TakeDeferred(db) ?? []);
                foreach (var read in reads)
                {
                    batch.BatchCommands.Add(BatchCommand(read.Sql));
                }

                // The writes before them return no rows, and the reader starts at the first statement that does.
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
                var row = new RawRow(reader);
                for (var i = 0; i < reads.Count; i++)
                {
                    if (i > 0 && !await reader.NextResultAsync(cancellationToken))
                    {
                        throw new InvalidOperationException($"Statement {i + 1} of {reads.Count} returned no rows to read: {reads[i].Sql.Format}");
                    }

                    while (await reader.ReadAsync(cancellationToken))
                    {
                        reads[i].Row(row);
                    }
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
            var prepared = Prepared.GetValue(handle, static h => new PreparedStatements(h));
            foreach (var read in reads)
            {
                prepared.Read(read.Sql, read.Row);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// Runs <paramref name="sql"/>, a write whose row count the caller does not need. Inside a transaction on
    /// PostgreSQL it waits on the context and goes to the server with the next statement the context runs, raw or EF
    /// Core's, or at the commit (<see cref="PostgresDeferredStatements"/>), all in one round trip (an
    /// <see cref="NpgsqlBatch"/>): a completion's writes had gone one round trip each, eleven per domain, each a send
    /// and a wake on both sides, and the batch row's lock held across them. An error it meets surfaces there and fails
    /// the same transaction; a rollback drops what still waits. On SQLite (no round trips), and outside a transaction,
    /// it runs at once.
    public static async Task DeferAsync(ScraperSkyDbContext db, FormattableString sql, CancellationToken cancellationToken)
    {
        if (db.IsPostgres && db.Database.CurrentTransaction is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (db.DeferredStatements ??= []).Add(BatchCommand(sql));
            return;
        }

        await ExecuteAsync(db, sql, cancellationToken);
    }

    /// Sends the writes waiting on <paramref name="db"/> (see <see cref="DeferAsync"/>), on its open connection.
    internal static async Task FlushAsync(ScraperSkyDbContext db, CancellationToken cancellationToken)
    {
        if (TakeDeferred(db) is { } deferred)
        {
            await using var batch = PostgresBatch(db, deferred);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <see cref="FlushAsync"/> for EF Core's synchronous paths.
    internal static void Flush(ScraperSkyDbContext db)
    {
        if (TakeDeferred(db) is { } deferred)
        {
            using var batch = PostgresBatch(db, deferred);
            batch.ExecuteNonQuery();
        }
    }

    // Taken before they run: a batch that fails has failed its transaction, and nothing of it is sent again.
    private static List<NpgsqlBatchCommand>? TakeDeferred(ScraperSkyDbContext db)
    {
        var deferred = db.DeferredStatements;
        if (deferred is not { Count: > 0 })
        {
            return null;
        }

        db.DeferredStatements = null;
        return deferred;
    }

    private static NpgsqlBatch PostgresBatch(ScraperSkyDbContext db, List<NpgsqlBatchCommand> commands)
    {
        var batch = new NpgsqlBatch(
            (NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        if (db.Database.GetCommandTimeout() is { } timeout)
        {
            batch.Timeout = timeout;
        }

        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    private static NpgsqlBatchCommand BatchCommand(FormattableString sql)
    {
        var command = new NpgsqlBatchCommand(PostgresText(sql));
        AddArguments(command.Parameters, sql);
        return command;
    }

    private static string PostgresText(FormattableString sql) =>
        PostgresTexts.GetOrAdd(sql.Format, static format => Numbered(format, '$'));

    private static void AddArguments(NpgsqlParameterCollection parameters, FormattableString sql)
    {
        foreach (var argument in sql.GetArguments())
        {
            parameters.Add(argument as NpgsqlParameter ?? new NpgsqlParameter { Value = argument ?? DBNull.Value });
        }
    }

    /// The command for <paramref name="sql"/> on the context's open connection and in its transaction.
    private static NpgsqlCommand PostgresCommand(ScraperSkyDbContext db, FormattableString sql)
    {
        var command = new NpgsqlCommand(
            PostgresText(sql),
            (NpgsqlConnection)db.Database.GetDbConnection(),
            (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        if (db.Database.GetCommandTimeout() is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        AddArguments(command.Parameters, sql);
        return command;
    }

    /// <paramref name="ids"/> as a JSON array of the text SQLite stores them as, for a statement to read with `json_each`
    /// (SQLite binds no arrays).
    public static string SqliteIds(IEnumerable<Guid> ids) => JsonSerializer.Serialize(ids.Select(id => id.ToString().ToUpperInvariant()));

    /// Runs <paramref name="sql"/>, written with SQLite's numbered parameters (`?1`), on an open SQLite connection and
    /// whatever transaction it has: for a statement run once per row of a bulk write.
    public static int Execute(SqliteConnection connection, string sql, object?[] arguments) =>
        Prepared.GetValue(connection.Handle!, static h => new PreparedStatements(h)).Execute(sql, arguments);

    /// How many times SQLite compiled the statements kept on <paramref name="connection"/>'s physical connection again
    /// (SQLITE_STMTSTATUS_REPREPARE): a change of the connection's functions or collations, or of the schema, expires
    /// every statement prepared on it. For tests.
    internal static int TimesCompiledAgain(SqliteConnection connection) =>
        Prepared.TryGetValue(connection.Handle!, out var prepared) ? prepared.TimesCompiledAgain() : 0;

    /// How many statements are kept on <paramref name="connection"/>'s physical connection. For tests.
    internal static int Kept(SqliteConnection connection) =>
        Prepared.TryGetValue(connection.Handle!, out var prepared) ? prepared.Count : 0;

    /// The format's `{0}` placeholders as numbered parameters, `?1` (SQLite) or `$1` (PostgreSQL); `{{` and `}}` are
    /// literal braces.
    private static string Numbered(string format, char marker)
    {
        var text = new StringBuilder(format.Length);
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                text.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = format.IndexOf('}', i);
                var number = int.Parse(format.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture);
                text.Append(marker).Append((number + 1).ToString(CultureInfo.InvariantCulture));
                i = end;
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// The statements prepared on one physical connection. A physical connection serves one logical connection at a
    /// time, so no two threads use them at once. When the pool closes the connection, SQLite keeps it until its
    /// statements are finalized: they go with the handle, whose finalizers finalize them.
    private sealed class PreparedStatements(sqlite3 handle)
    {
        // Keyed by the interpolated string's format or the statement's text, literals of the calling code: a handful
        // per connection.
        private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);

        private const int StatementStatusReprepare = 5;

        private static readonly Func<string, string> SqliteNumbered = static format => Numbered(format, '?');

        public int Count => _statements.Count;

        public int TimesCompiledAgain() => _statements.Values.Sum(s => raw.sqlite3_stmt_status(s, StatementStatusReprepare, 0));

        public int Execute(FormattableString sql) => Execute(sql.Format, SqliteNumbered, sql.GetArguments());

        public int Execute(string sql, object?[] arguments) => Execute(sql, static text => text, arguments);

        public void Read(FormattableString sql, Action<RawRow> read)
        {
            var statement = Bound(sql.Format, SqliteNumbered, sql.GetArguments());
            try
            {
                var row = new RawRow(statement);
                int step;
                while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                    read(row);
                }

                if (step != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(step, handle);
                }
            }
            finally
            {
                raw.sqlite3_reset(statement);
                raw.sqlite3_clear_bindings(statement);
            }
        }

        /// The statement kept for <paramref name="key"/> (prepared on first use) with <paramref name="arguments"/> bound.
        private sqlite3_stmt Bound(string key, Func<string, string> text, object?[] arguments)
        {
            if (!_statements.TryGetValue(key, out var statement))
            {
                var rc = raw.sqlite3_prepare_v3(handle, text(key), raw.SQLITE_PREPARE_PERSISTENT, out statement);
                SqliteException.ThrowExceptionForRC(rc, handle);
                _statements.Add(key, statement);
            }

            try
            {
                for (var i = 0; i < arguments.Length; i++)
                {
                    SqliteException.ThrowExceptionForRC(Bind(statement, i + 1, arguments[i]), handle);
                }
            }
            catch
            {
                raw.sqlite3_clear_bindings(statement);
                throw;
            }

            return statement;
        }

        private int Execute(string key, Func<string, string> text, object?[] arguments)
        {
            var statement = Bound(key, text, arguments);
            try
            {
                var step = raw.sqlite3_step(statement);
                if (step != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(step == raw.SQLITE_ROW ? raw.SQLITE_MISUSE : step, handle);
                }

                return raw.sqlite3_changes(handle);
            }
            finally
            {
                // A statement left unreset would hold its read transaction open on the pooled connection.
                raw.sqlite3_reset(statement);
                raw.sqlite3_clear_bindings(statement);
            }
        }

        private static int Bind(sqlite3_stmt statement, int index, object? value) => value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            string { Length: > 0 } text => BindText(statement, index, text),
            string text => raw.sqlite3_bind_text(statement, index, text),
            Guid id => BindGuid(statement, index, id),
            DateTime time => BindTime(statement, index, time),
            bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            double number => raw.sqlite3_bind_double(statement, index, number),
            Utf8Text text => raw.sqlite3_bind_text(statement, index, text.Bytes),
            _ => throw new NotSupportedException($"A raw statement's argument of type {value.GetType()} has no SQLite form here."),
        };

        // Text is bound from UTF-8 written into a stack or pooled buffer (SQLite copies it): binding a string allocated its
        // UTF-8 array per argument, and a Guid or a timestamp a string first, on each of a job's dozen statements.
        private static int BindText(sqlite3_stmt statement, int index, string text)
        {
            var length = Encoding.UTF8.GetMaxByteCount(text.Length);
            byte[]? rented = null;
            var buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
            try
            {
                return raw.sqlite3_bind_text(statement, index, buffer[..Encoding.UTF8.GetBytes(text, buffer)]);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        /// A Guid as EF Core's SQLite provider writes it: upper-case text with hyphens.
        private static int BindGuid(sqlite3_stmt statement, int index, Guid id)
        {
            Span<byte> text = stackalloc byte[36];
            id.TryFormat(text, out _, "D");
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] is >= (byte)'a' and <= (byte)'f')
                {
                    text[i] -= 'a' - 'A';
                }
            }

            return raw.sqlite3_bind_text(statement, index, text);
        }

        private static int BindTime(sqlite3_stmt statement, int index, DateTime time)
        {
            Span<byte> text = stackalloc byte[40];
            time.TryFormat(text, out var written, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            return raw.sqlite3_bind_text(statement, index, text[..written]);
        }
    }
}

/// A statement that returns rows, and what to do with each (<see cref="RawStatements.ReadEachAsync"/>).
internal readonly record struct RawRead(FormattableString Sql, Action<RawRow> Row);

/// Text already in UTF-8, as an argument of a raw SQLite statement: bound as text from its bytes, where a string is
/// transcoded into a buffer first (a plain byte array would be a blob, which SQLite's JSON functions read otherwise).
internal sealed class Utf8Text(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;
}
