using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Server.OpenApi;

namespace ScraperSky.Server.Tests.Api;

/// The OpenAPI document is checked against the routes the server really maps, so a route added without its
/// documentation fails here.
public sealed class OpenApiDocumentTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    private const string DocumentRoute = "/openapi/{documentName}.json";
    private const string ProblemMediaType = "application/problem+json";

    [Fact]
    public async Task Every_mapped_endpoint_is_documented_with_a_summary_a_description_and_its_responses()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var endpoints = MappedEndpoints();
        Assert.Contains(endpoints, e => e.Path == "/api/v1/status/{jobId}" && e.Method == "get");

        var gaps = new List<string>();
        foreach (var (path, method, endpoint) in endpoints)
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method, out var operation))
            {
                gaps.Add($"{name} is not in the document");
                continue;
            }

            if (Text(operation, "summary") is null)
            {
                gaps.Add($"{name} has no summary");
            }

            if (Text(operation, "description") is null)
            {
                gaps.Add($"{name} has no description");
            }

            var responses = operation.GetProperty("responses");
            // The success answer: a 200 or 201 with a body, or a 204 (a deletion) without one.
            var okContent = default(JsonElement);
            if (!responses.TryGetProperty("204", out _)
                && !((responses.TryGetProperty("200", out var ok) || responses.TryGetProperty("201", out ok)) && ok.TryGetProperty("content", out okContent)))
            {
                gaps.Add($"{name} documents no 200 or 201 with a body and no 204");
                continue;
            }

            foreach (var declared in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>())
            {
                var code = declared.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!responses.TryGetProperty(code, out var response))
                {
                    gaps.Add($"{name} declares {code} but does not document it");
                }
                else if (declared.Type == typeof(ProblemDetails) && !HasMediaType(response, ProblemMediaType))
                {
                    gaps.Add($"{name} documents {code} without a ProblemDetails body");
                }
            }

            foreach (var mediaType in endpoint.Metadata.OfType<FileDownloadsMetadata>().SelectMany(f => f.MediaTypes))
            {
                if (okContent.ValueKind != JsonValueKind.Object || !okContent.TryGetProperty(mediaType, out _))
                {
                    gaps.Add($"{name} streams {mediaType} but its 200 does not say so");
                }
            }

            if (path.StartsWith("/api/", StringComparison.Ordinal) && !HasProblem(responses, "429"))
            {
                gaps.Add($"{name} is rate limited but documents no 429");
            }

            var authorized = endpoint.Metadata.OfType<IAuthorizeData>().Any() && !endpoint.Metadata.OfType<IAllowAnonymous>().Any();
            if (authorized && !HasProblem(responses, "401"))
            {
                gaps.Add($"{name} needs a key but documents no 401");
            }

            if (authorized != (operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0))
            {
                gaps.Add($"{name} {(authorized ? "needs a key but names no security scheme" : "needs no key but names one")}");
            }
        }

        Assert.Empty(gaps);
    }

    [Fact]
    public async Task The_list_routes_document_their_files_and_the_events_route_its_stream()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        string[] files = ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/x-ndjson"];
        foreach (var path in new[] { "/api/v1/domains", "/api/v1/domains/{domain}/scans", "/api/v1/batch/{batchId}/results" })
        {
            var content = paths.GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
            Assert.All(files.Append("application/json"), mediaType => Assert.True(content.TryGetProperty(mediaType, out _), $"{path}: {mediaType}"));
        }

        var events = paths.GetProperty("/api/v1/batch/{batchId}/events").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.True(HasMediaType(events, "text/event-stream"));
    }

    [Fact]
    public async Task Scan_metadata_is_described_by_the_SiteMetadata_schema_in_snake_case()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        Assert.Contains("#/components/schemas/SiteMetadata", References(schemas.GetProperty("ScanStatus").GetProperty("properties").GetProperty("metadata")));
        Assert.Contains("#/components/schemas/SiteMetadata", References(schemas.GetProperty("DomainView").GetProperty("properties").GetProperty("metadata")));
        var properties = schemas.GetProperty("SiteMetadata").GetProperty("properties");
        foreach (var name in new[] { "title", "is_wordpress", "contact_info", "social_links", "tech_stack", "technologies", "sitemaps" })
        {
            Assert.True(properties.TryGetProperty(name, out _), name);
        }

        Assert.All(properties.EnumerateObject(), p => Assert.Matches("^[a-z0-9_]+$", p.Name));
    }

    [Fact]
    public async Task Every_schema_reference_in_the_document_resolves()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");

        Assert.All(References(document).Distinct(), reference =>
        {
            Assert.StartsWith("#/components/schemas/", reference, StringComparison.Ordinal);
            Assert.True(schemas.TryGetProperty(reference["#/components/schemas/".Length..], out _), reference);
        });
    }

    [Fact]
    public async Task Job_and_batch_statuses_and_progress_steps_list_their_values()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        string[] jobStatuses = ["pending", "running", "completed", "failed", "cancelled"];
        string[] batchStatuses = ["pending", "in_progress", "completed", "failed", "partial", "cancelled"];
        Assert.Equal(jobStatuses, Enum.GetValues<JobStatus>().Select(EnumNames.ToWire));
        Assert.Equal(batchStatuses, Enum.GetValues<BatchStatus>().Select(EnumNames.ToWire));

        foreach (var schema in new[] { "ScanStatus", "BatchJobEntry", "DomainView", "DomainScanView" })
        {
            Assert.Equal(jobStatuses, Values(schemas, schema, "status"));
        }

        foreach (var schema in new[] { "BatchStatusView", "BatchCounters", "BatchControlResult" })
        {
            Assert.Equal(batchStatuses, Values(schemas, schema, "status"));
        }

        Assert.Equal(["starting", "extracting", "storing", "completed", "failed", "cancelled"], Values(schemas, "ScanProgressView", "step"));
    }

    [Fact]
    public async Task The_API_key_schemes_are_named_on_keyed_routes_and_not_on_health()
    {
        var document = await DocumentAsync();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");

        var bearer = schemes.GetProperty(ApiKeySecurityTransformer.BearerScheme);
        Assert.Equal("http", Text(bearer, "type"));
        Assert.Equal("bearer", Text(bearer, "scheme"));
        var header = schemes.GetProperty(ApiKeySecurityTransformer.HeaderScheme);
        Assert.Equal("apiKey", Text(header, "type"));
        Assert.Equal("header", Text(header, "in"));
        Assert.Equal("X-API-Key", Text(header, "name"));

        var paths = document.GetProperty("paths");
        var status = paths.GetProperty("/api/v1/status/{jobId}").GetProperty("get");
        var named = status.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
        Assert.Equal([ApiKeySecurityTransformer.BearerScheme, ApiKeySecurityTransformer.HeaderScheme], named);
        Assert.False(paths.GetProperty("/health").GetProperty("get").TryGetProperty("security", out _));
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetPathAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        return await response.JsonAsync();
    }

    /// Route pattern and HTTP method of every endpoint the server maps, but the document's own.
    private List<(string Path, string Method, RouteEndpoint Endpoint)> MappedEndpoints() =>
    [
        .. fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != DocumentRoute)
            // The web UI's pages and the API reference at /docs are no part of the API.
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription != true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"])
                .Select(m => ("/" + e.RoutePattern.RawText!.Trim('/'), m.ToLowerInvariant(), e))),
    ];

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.GetString() is { Length: > 0 } text ? text : null;

    private static bool HasMediaType(JsonElement response, string mediaType) =>
        response.TryGetProperty("content", out var content) && content.TryGetProperty(mediaType, out _);

    private static bool HasProblem(JsonElement responses, string code) =>
        responses.TryGetProperty(code, out var response) && HasMediaType(response, ProblemMediaType);

    private static List<string?> Values(JsonElement schemas, string schema, string property) =>
        [.. schemas.GetProperty(schema).GetProperty("properties").GetProperty(property).GetProperty("enum").EnumerateArray().Select(v => v.GetString())];

    /// Every `$ref` at or below an element.
    private static IEnumerable<string> References(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "$ref" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : References(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(References),
        _ => [],
    };
}
