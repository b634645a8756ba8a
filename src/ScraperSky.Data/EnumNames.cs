using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ScraperSky.Data;

/// Enum values as the v1 contract spells them: `InProgress` is stored and shown as `in_progress`.
public static class EnumNames
{
    public static string ToWire<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static T FromWire<T>(string value) where T : struct, Enum =>
        Enum.Parse<T>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    internal static ValueConverter<T, string> Converter<T>() where T : struct, Enum =>
        new(v => ToWire(v), v => FromWire<T>(v));
}
