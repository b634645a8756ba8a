namespace ScraperSky.Server.OpenApi;

public static class ApiDocumentExtensions
{
    /// The OpenAPI document (`/openapi/v1.json`): every route with its answers, typed scan metadata, the status values
    /// and the API key.
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddSchemaTransformer<StatusValuesTransformer>();
            options.AddOperationTransformer<ApiKeySecurityTransformer>();
            options.AddOperationTransformer<FileDownloadsTransformer>();
            options.AddDocumentTransformer<ApiKeySecurityTransformer>();
            options.AddDocumentTransformer<SiteMetadataTransformer>();
        });
}
