using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ScraperSky.Scanning;
using ScraperSky.Server.Domains;
using ScraperSky.Server.Scans;

namespace ScraperSky.Server.OpenApi;

/// `metadata` is the stored result returned byte for byte, so its C# type is a `JsonElement` and the generator sees
/// an untyped value; the document describes it as what was stored: a <see cref="SiteMetadata"/>.
public sealed class SiteMetadataTransformer : IOpenApiDocumentTransformer
{
    private const string Property = "metadata";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null)
        {
            return;
        }

        if (!schemas.ContainsKey(nameof(SiteMetadata)))
        {
            var generated = await context.GetOrCreateSchemaAsync(typeof(SiteMetadata), null, cancellationToken);
            document.AddComponent<IOpenApiSchema>(nameof(SiteMetadata), generated);
        }

        // Null on a status until the scan completed; left out of a domain unless it is the single-domain answer.
        Replace(schemas, nameof(ScanStatus), new OpenApiSchema
        {
            OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, new OpenApiSchemaReference(nameof(SiteMetadata), document)],
        });
        Replace(schemas, nameof(DomainView), new OpenApiSchemaReference(nameof(SiteMetadata), document));

        // Only those two properties used the untyped schema; a reference left to it would fail the document test.
        schemas.Remove(nameof(JsonElement));
    }

    private static void Replace(IDictionary<string, IOpenApiSchema> schemas, string owner, IOpenApiSchema metadata)
    {
        if (schemas.TryGetValue(owner, out var schema) && schema is OpenApiSchema { Properties: { } properties }
            && properties.ContainsKey(Property))
        {
            properties[Property] = metadata;
        }
    }
}
