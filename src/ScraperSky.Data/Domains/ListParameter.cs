using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;

namespace ScraperSky.Data.Domains;

/// A list column's value as a parameter of a raw statement. PostgreSQL takes the list itself (text[]); SQLite keeps it
/// as JSON text, written by the converter EF Core uses for the column, so rows written by raw statements and rows EF
/// Core reads or filters agree on the format.
internal static class ListParameter
{
    private static readonly ConditionalWeakTable<IModel, Func<IReadOnlyList<string>, object>> Writers = [];

    public static Func<IReadOnlyList<string>, object> For(ScraperSkyDbContext db) =>
        Writers.GetValue(db.Model, static model =>
        {
            var converter = model.FindEntityType(typeof(Domain))!.FindProperty(nameof(Domain.Emails))!.GetTypeMapping().Converter;
            return converter is null
                ? static values => StoredText.Clean(values)
                : values => converter.ConvertToProvider(StoredText.Clean(values))!;
        });
}
