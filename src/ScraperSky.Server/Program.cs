using ScraperSky.Data;
using ScraperSky.Scanning;
using ScraperSky.Server.Batches;
using ScraperSky.Server.Changes;
using ScraperSky.Server.Database;
using ScraperSky.Server.Domains;
using ScraperSky.Server.Errors;
using ScraperSky.Server.Health;
using ScraperSky.Server.Hosting;
using ScraperSky.Server.RateLimiting;
using ScraperSky.Server.Scans;
using ScraperSky.Server.Tenancy;
using ScraperSky.Server.Webhooks;
using ScraperSky.Server.Workers;

var builder = WebApplication.CreateBuilder(args);

builder.AddApiErrors();
builder.Services.AddScraperSkyData(builder.Configuration);
builder.Services.AddScanning(builder.Configuration);
builder.AddV1Api();
builder.AddTenancy();
builder.AddRateLimits();
builder.AddScanWorkers();
builder.AddWebhooks();

var app = builder.Build();

await app.MigrateDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapHealth();
app.MapOpenApi();
app.MapScans();
app.MapBatches();
app.MapDomains();
app.MapDomainSitemaps();
app.MapChanges();
app.MapWebhooks();

await app.RunAsync();

public partial class Program;
