using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ScraperSky.Server.OpenApi;

/// Adds the file formats a list route streams (see <see cref="ResponseConventions.ProducesFiles"/>) to its 200
/// answer, next to the JSON page: the typed result only knows the JSON.
public sealed class FileDownloadsTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var downloads = context.Description.ActionDescriptor.EndpointMetadata.OfType<FileDownloadsMetadata>().LastOrDefault();
        if (downloads is null || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok || ok.Content is null)
        {
            return Task.CompletedTask;
        }

        ok.Description = "The JSON page, or with `format` (or `Accept`) every row as a file, streamed.";
        foreach (var mediaType in downloads.MediaTypes)
        {
            ok.Content[mediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
        }

        return Task.CompletedTask;
    }
}
