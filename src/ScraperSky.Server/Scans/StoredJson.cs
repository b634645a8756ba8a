using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScraperSky.Server.Scans;

/// A JSON value this service stored (a scan's result), answered as it is stored: parsing it into a document and
/// writing that back cost more than the rest of a status request. The text is ours, written by the same serializer,
/// but it is still checked as it is copied (a forward-only scan, no document): a damaged row must end as a 500 problem,
/// never as a 200 whose body is not JSON.
[JsonConverter(typeof(Converter))]
public sealed record StoredJson(string Text)
{
    public static StoredJson? From(string? text) => string.IsNullOrEmpty(text) ? null : new StoredJson(text);

    private sealed class Converter : JsonConverter<StoredJson>
    {
        public override StoredJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new StoredJson(document.RootElement.GetRawText());
        }

        public override void Write(Utf8JsonWriter writer, StoredJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Text, skipInputValidation: false);
    }
}
