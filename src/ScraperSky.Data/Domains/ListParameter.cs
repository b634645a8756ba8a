using System.Buffers;
using System.Text;
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

    /// The list as the JSON array EF Core's primitive collection converter writes for SQLite.
    internal static string JsonArray(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return "[]";
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(StoredText.Clean(value));
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
