using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScraperSky.Data.Spreadsheets;

/// JSON Lines: one object per row, the column names as given, UTF-8 without a byte order mark. Types survive:
/// numbers and booleans stay themselves and lists of strings become arrays. Non-ASCII text is written as itself, not
/// as \u escapes: the file is read by people and tools, never embedded in HTML.
internal static class JsonlTableWriter
{
    private const int FlushThreshold = 32 * 1024;

    public static async Task WriteAsync<T>(
        Stream output, IReadOnlyList<TableColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var names = columns.Select(c => JsonEncodedText.Encode(c.Name)).ToArray();
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            json.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                json.WritePropertyName(names[i]);
                WriteValue(json, columns[i].Value(row));
            }

            json.WriteEndObject();
            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= FlushThreshold)
            {
                await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
            }
        }

        await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                json.WriteNumberValue(u);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case IEnumerable<string?> list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                break;
            default:
                // Dates, Guids and non-finite numbers, which JSON has no literal for, are strings.
                json.WriteStringValue(TableCell.ToText(value));
                break;
        }
    }
}
