using System.Collections;
using System.Data.Common;
using System.Globalization;

namespace ScraperSky.Data.Spreadsheets;

/// The rows of an export as the `IDataReader` MiniExcel streams from, one row at a time. `Read` blocks on the async
/// row source; it runs on the XLSX writer's own thread, never on a request thread. Values are already what a cell
/// should hold: numbers and booleans as themselves, everything else as its text (see `TableCell`).
internal sealed class TableDataReader<T>(
    IReadOnlyList<TableColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken cancellationToken) : DbDataReader
{
    // Excel refuses to open a workbook with a longer cell.
    internal const int MaxCellLength = 32_767;

    private readonly IAsyncEnumerator<T> _rows = rows.GetAsyncEnumerator(cancellationToken);
    private readonly object[] _values = new object[columns.Count];
    private bool _closed;

    public override int FieldCount => columns.Count;

    public override int Depth => 0;

    public override bool HasRows => true;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => -1;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        cancellationToken.ThrowIfCancellationRequested();
        var next = _rows.MoveNextAsync();
        if (!(next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult()))
        {
            return false;
        }

        var row = _rows.Current;
        for (var i = 0; i < columns.Count; i++)
        {
            _values[i] = ToCell(columns[i].Value(row));
        }

        return true;
    }

    public override object GetValue(int ordinal) => _values[ordinal];

    public override string GetName(int ordinal) => columns[ordinal].Name;

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new IndexOutOfRangeException(name);
    }

    public override Type GetFieldType(int ordinal) => _values[ordinal]?.GetType() ?? typeof(object);

    public override string GetDataTypeName(int ordinal) => GetFieldType(ordinal).Name;

    public override bool IsDBNull(int ordinal) => _values[ordinal] is DBNull;

    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var count = Math.Min(values.Length, _values.Length);
        Array.Copy(_values, values, count);
        return count;
    }

    public override bool NextResult() => false;

    public override IEnumerator GetEnumerator() => throw new NotSupportedException();

    public override bool GetBoolean(int ordinal) => (bool)_values[ordinal];

    public override string GetString(int ordinal) => (string)_values[ordinal];

    public override byte GetByte(int ordinal) => throw new NotSupportedException();

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        throw new NotSupportedException();

    public override char GetChar(int ordinal) => throw new NotSupportedException();

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        throw new NotSupportedException();

    public override DateTime GetDateTime(int ordinal) => throw new NotSupportedException();

    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(_values[ordinal], CultureInfo.InvariantCulture);

    public override double GetDouble(int ordinal) => Convert.ToDouble(_values[ordinal], CultureInfo.InvariantCulture);

    public override float GetFloat(int ordinal) => Convert.ToSingle(_values[ordinal], CultureInfo.InvariantCulture);

    public override Guid GetGuid(int ordinal) => throw new NotSupportedException();

    public override short GetInt16(int ordinal) => Convert.ToInt16(_values[ordinal], CultureInfo.InvariantCulture);

    public override int GetInt32(int ordinal) => Convert.ToInt32(_values[ordinal], CultureInfo.InvariantCulture);

    public override long GetInt64(int ordinal) => Convert.ToInt64(_values[ordinal], CultureInfo.InvariantCulture);

    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        var disposing = _rows.DisposeAsync();
        if (!disposing.IsCompletedSuccessfully)
        {
            disposing.AsTask().GetAwaiter().GetResult();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    private static object ToCell(object? value) => value switch
    {
        null => DBNull.Value,
        bool or byte or sbyte or short or ushort or int or uint or long or ulong or decimal => value,
        double d when double.IsFinite(d) => d,
        float f when float.IsFinite(f) => f,
        _ => Truncate(TableCell.ToText(value)),
    };

    private static object Truncate(string? text) => text switch
    {
        null => DBNull.Value,
        { Length: > MaxCellLength } => text[..MaxCellLength],
        _ => text,
    };
}
