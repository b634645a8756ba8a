using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ScraperSky.Data;

/// Enum values as the v1 contract spells them: `InProgress` is stored and shown as `in_progress`.
public static class EnumNames
{
    /// Spelled once per value: every job row read or written and every job in a batch's status passes through here,
    /// and spelling it each time (the name, then snake case) was 4% of a 10,000-job batch status.
    public static string ToWire<T>(T value) where T : struct, Enum =>
        Spelled<T>.Wire.TryGetValue(value, out var name) ? name : Spell(value);

    public static T FromWire<T>(string value) where T : struct, Enum =>
        Spelled<T>.Values.TryGetValue(value, out var known)
            ? known
            : Enum.Parse<T>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    internal static ValueConverter<T, string> Converter<T>() where T : struct, Enum =>
        new(v => ToWire(v), v => FromWire<T>(v));

    private static string Spell<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static class Spelled<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> Wire = Enum.GetValues<T>().Distinct().ToFrozenDictionary(v => v, Spell);

        public static readonly FrozenDictionary<string, T> Values = Wire.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
