using System.Text;

namespace ScraperSky.Data.Spreadsheets;

/// RFC 4180 CSV: comma, CRLF, a field quoted when it holds a comma, quote or line break, quotes doubled. UTF-8 with a
/// byte order mark, without which Excel reads UTF-8 as the local ANSI code page.
internal static class CsvTableWriter
{
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static async Task WriteAsync<T>(
        Stream output, IReadOnlyList<TableColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, Utf8WithBom, 64 * 1024, leaveOpen: true);
        var line = new StringBuilder(256);
        for (var i = 0; i < columns.Count; i++)
        {
            AppendSeparator(line, i);
            AppendField(line, columns[i].Name);
        }

        await writer.WriteAsync(line.Append("\r\n"), cancellationToken);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            line.Clear();
            for (var i = 0; i < columns.Count; i++)
            {
                AppendSeparator(line, i);
                var value = columns[i].Value(row);
                if (TableCell.IsNumber(value) || value is bool)
                {
                    // Typed numbers are data, never formulas: -5 stays -5.
                    line.Append(TableCell.ToText(value));
                }
                else
                {
                    AppendField(line, TableCell.ToText(value));
                }
            }

            await writer.WriteAsync(line.Append("\r\n"), cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// A text field as CSV: quoted when RFC 4180 needs it, and with a leading `'` inside quotes when a spreadsheet
    /// would otherwise run it as a formula (a cell starting with `=`, `+`, `-` or `@`, or tab or CR, which some
    /// spreadsheets strip before looking).
    internal static void AppendField(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var formula = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        if (!formula && value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }

        line.Append('"');
        if (formula)
        {
            line.Append('\'');
        }

        foreach (var c in value)
        {
            line.Append(c);
            if (c == '"')
            {
                line.Append('"');
            }
        }

        line.Append('"');
    }

    private static void AppendSeparator(StringBuilder line, int column)
    {
        if (column > 0)
        {
            line.Append(',');
        }
    }
}
