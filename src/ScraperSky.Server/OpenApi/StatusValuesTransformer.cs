using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;
using ScraperSky.Server.Batches;
using ScraperSky.Server.Domains;
using ScraperSky.Server.Scans;

namespace ScraperSky.Server.OpenApi;

/// The responses carry statuses as strings (their wire names); the document lists the values each can take.
public sealed class StatusValuesTransformer : IOpenApiSchemaTransformer
{
    private static readonly string[] JobStatuses = [.. Enum.GetValues<JobStatus>().Select(EnumNames.ToWire)];
    private static readonly string[] BatchStatuses = [.. Enum.GetValues<BatchStatus>().Select(EnumNames.ToWire)];
    private static readonly string[] ProgressSteps =
        [ScanSteps.Starting, ScanSteps.Extracting, ScanSteps.Storing, ScanSteps.Completed, ScanSteps.Failed, JobQueue.CancelledStep];

    private static readonly Dictionary<(Type, string), string[]> Values = new()
    {
        [(typeof(ScanStatus), "status")] = JobStatuses,
        [(typeof(ScanProgressView), "step")] = ProgressSteps,
        [(typeof(BatchJobEntry), "status")] = JobStatuses,
        [(typeof(BatchJobEvent), "status")] = JobStatuses,
        [(typeof(DomainView), "status")] = JobStatuses,
        [(typeof(DomainScanView), "status")] = JobStatuses,
        [(typeof(BatchStatusView), "status")] = BatchStatuses,
        [(typeof(BatchCounters), "status")] = BatchStatuses,
        [(typeof(BatchControlResult), "status")] = BatchStatuses,
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property && Values.TryGetValue((property.DeclaringType, property.Name), out var values))
        {
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
        }

        return Task.CompletedTask;
    }
}
