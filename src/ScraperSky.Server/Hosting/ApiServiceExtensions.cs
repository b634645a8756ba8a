using System.Text.Json;
using System.Text.Json.Serialization;
using ScraperSky.Data.Jobs;
using ScraperSky.Server.OpenApi;
using ScraperSky.Server.Scans;

namespace ScraperSky.Server.Hosting;

public static class ApiServiceExtensions
{
    /// The v1 API's JSON (snake_case, strict numbers so a quoted number is a type error), OpenAPI document and the
    /// job submission it writes through (JobOptions and TimeProvider come with AddScraperSkyData), and the completed scans'
    /// status answers kept for polling.
    public static WebApplicationBuilder AddV1Api(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.AddApiDocument();
        builder.Services.AddScoped<JobSubmission>();
        builder.Services.AddSingleton<CompletedScanStatuses>();
        return builder;
    }
}
