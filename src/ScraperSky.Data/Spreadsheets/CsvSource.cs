using System.Text;
using System.Text.Unicode;
using Sylvan.Data.Csv;

namespace ScraperSky.Data.Spreadsheets;

/// The rows of a CSV file in memory: encoding from the byte order mark, else UTF-8 when the bytes are valid UTF-8,
/// else windows-1252; delimiter sniffed; fields parsed by Sylvan.Data.Csv.
internal static class CsvSource
{
    private const int MaxRecordChars = 1024 * 1024;

    static CsvSource() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static IEnumerable<SourceRow> Read(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var text = Decode(bytes.Span);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new DomainTableException("The file is not a CSV or XLSX file: it holds binary data.");
        }

        return Parse(text, CsvDelimiter.Sniff(text), cancellationToken);
    }

    internal static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        // Text in windows-1252 with any letter beyond ASCII is almost never valid UTF-8, and ASCII is both.
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.GetEncoding(1252).GetString(bytes);
    }

    private static IEnumerable<SourceRow> Parse(string text, char delimiter, CancellationToken cancellationToken)
    {
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false,
            Delimiter = delimiter,
            MaxBufferSize = MaxRecordChars,
        };
        using var reader = CsvDataReader.Create(new StringReader(text), options);

        // Sylvan counts records; a message about a broken quote must name the line a text editor shows.
        var line = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] cells;
            try
            {
                if (!reader.Read())
                {
                    yield break;
                }

                cells = new string[reader.RowFieldCount];
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = reader.GetString(i);
                }
            }
            catch (CsvRecordTooLargeException e)
            {
                throw new DomainTableException(
                    $"Line {line:N0}: a row is longer than {MaxRecordChars / 1024:N0} KiB of text; is a quote left open?", e);
            }
            catch (CsvFormatException e)
            {
                throw new DomainTableException(Describe(e, line), e);
            }

            yield return new SourceRow(reader.RowNumber, cells);
            line += 1 + cells.Sum(CountLineBreaks);
        }
    }

    private static string Describe(CsvFormatException error, int line)
    {
        if (error.Message.Contains("without a closing quote", StringComparison.OrdinalIgnoreCase))
        {
            return $"Line {line:N0}: a quoted field is not closed.";
        }

        var column = error.FieldOrdinal + 1;
        return error.Message.Contains("after a closing quote", StringComparison.OrdinalIgnoreCase)
            ? $"Line {line:N0}, field {column:N0}: text follows the closing quote of a quoted field."
            : $"Line {line:N0}, field {column:N0}: {error.Message}";
    }

    private static int CountLineBreaks(string cell)
    {
        var count = 0;
        for (var i = 0; i < cell.Length; i++)
        {
            if (cell[i] == '\n' || (cell[i] == '\r' && (i + 1 == cell.Length || cell[i + 1] != '\n')))
            {
                count++;
            }
        }

        return count;
    }
}
