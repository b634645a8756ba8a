using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using SQLitePCL;

namespace ScraperSky.Data;

/// One row of a raw read (<see cref="RawStatements.ReadAsync{T}"/>): the SQLite statement's current row, or the
/// PostgreSQL reader's. Values read back in the forms EF Core's providers write them (SQLite: Guids and timestamps as
/// text, list columns as JSON arrays; PostgreSQL: uuid, timestamptz, text[]), so what EF Core wrote reads the same here.
internal readonly struct RawRow
{
    private readonly DbDataReader? _reader;
    private readonly sqlite3_stmt? _statement;

    public RawRow(DbDataReader reader) => _reader = reader;

    public RawRow(sqlite3_stmt statement) => _statement = statement;

    public bool IsNull(int column) =>
        _reader is { } reader ? reader.IsDBNull(column) : raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public string GetString(int column) =>
        _reader is { } reader ? reader.GetString(column) : raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public string? GetNullableString(int column) => IsNull(column) ? null : GetString(column);

    public int GetInt32(int column) =>
        _reader is { } reader ? reader.GetInt32(column) : raw.sqlite3_column_int(_statement, column);

    public long GetInt64(int column) =>
        _reader is { } reader ? reader.GetInt64(column) : raw.sqlite3_column_int64(_statement, column);

    /// A boolean: PostgreSQL's boolean, SQLite's 0 or 1.
    public bool GetBoolean(int column) =>
        _reader is { } reader ? reader.GetBoolean(column) : raw.sqlite3_column_int(_statement, column) != 0;

    public Guid GetGuid(int column) =>
        _reader is { } reader ? reader.GetGuid(column) : Guid.Parse(GetString(column));

    /// A timestamp; every stored timestamp is UTC (SQLite's text carries no zone).
    public DateTime? GetUtc(int column) => IsNull(column)
        ? null
        : DateTime.SpecifyKind(
            _reader is { } reader ? reader.GetDateTime(column) : DateTime.Parse(GetString(column), CultureInfo.InvariantCulture),
            DateTimeKind.Utc);

    /// A list column (a primitive collection): text[] on PostgreSQL, a JSON array on SQLite.
    public List<string> GetList(int column) =>
        _reader is { } reader ? reader.GetFieldValue<List<string>>(column) : JsonSerializer.Deserialize<List<string>>(GetString(column))!;
}
