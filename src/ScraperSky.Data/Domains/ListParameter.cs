using System.Buffers;
using System.Text.Json;
using ScraperSky.Data.Jobs;

namespace ScraperSky.Data.Domains;

/// A list column's value as a parameter of a raw statement. PostgreSQL takes the list itself (text[]); SQLite keeps it
/// as JSON text, the very text EF Core's converter for the column writes (a JSON array by a default
/// <see cref="Utf8JsonWriter"/>), so rows written by raw statements and rows EF Core reads or filters agree on the
/// format. Written here rather than by calling that converter: it looked up a constructor by reflection on every call,
/// eight lists per completed scan (`ListParameterTests` holds the two texts equal).
internal static class ListParameter
{
    private static readonly Func<IReadOnlyList<string>, object> PostgresList = static values => StoredText.Clean(values);

    private static readonly Func<IReadOnlyList<string>, object> SqliteJson = static values => JsonArray(values);

    public static Func<IReadOnlyList<string>, object> For(ScraperSkyDbContext db) => db.IsPostgres ? PostgresList : SqliteJson;

    /// The list as the JSON array EF Core's primitive collection converter writes for SQLite, in UTF-8 as SQLite stores
    /// it: a string of it was transcoded back to UTF-8 to be bound, eight lists per completed scan.
    internal static Utf8Text JsonArray(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return EmptyArray;
        }

        // Written on one thread without a pause, so the buffer is the thread's; the bytes kept are copied out.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(StoredText.Clean(value));
            }

            writer.WriteEndArray();
        }

        return new Utf8Text(buffer.WrittenSpan.ToArray());
    }

    private static readonly Utf8Text EmptyArray = new("[]"u8.ToArray());

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;
}
