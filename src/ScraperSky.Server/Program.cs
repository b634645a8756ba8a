using ScraperSky.Data;
using ScraperSky.Scanning;
using ScraperSky.Server.Batches;
using ScraperSky.Server.Changes;
using ScraperSky.Server.Database;
using ScraperSky.Server.Domains;
using ScraperSky.Server.Errors;
using ScraperSky.Server.Health;
using ScraperSky.Server.Hosting;
using ScraperSky.Server.Images;
using ScraperSky.Server.RateLimiting;
using ScraperSky.Server.Scans;
using ScraperSky.Server.Schedules;
using ScraperSky.Server.Tenancy;
using ScraperSky.Server.Ui;
using ScraperSky.Server.Webhooks;
using ScraperSky.Server.Workers;

// Before the host starts its threads: arenas are handed out as threads first allocate.
MallocArenas.Limit();

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultListeningAddress();
builder.UseSocketReadBuffers();

builder.AddApiErrors();
builder.Services.AddScraperSkyData(builder.Configuration);
builder.Services.AddScanning(builder.Configuration);
builder.AddV1Api();
builder.AddTenancy();
builder.AddRateLimits();
builder.AddSiteImages();
builder.AddScanWorkers();
builder.AddWebhooks();
builder.Services.AddHostedService<MallocTrimmer>();

var app = builder.Build();

// A port another process holds ends the start here: one line, no migration, no worker.
if (ListeningAddresses.FindAddressInUse(app) is { } taken)
{
    await Console.Error.WriteLineAsync(ListeningAddresses.InUseMessage(taken));
    return 2;
}

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
app.MapSchedules();
app.MapChanges();
app.MapWebhooks();
app.MapSiteImages();
app.MapUi();
app.ShowStartupBanner();

try
{
    await app.RunAsync();
}
catch (Exception ex) when (ListeningAddresses.IsAddressInUse(ex))
{
    await Console.Error.WriteLineAsync(ListeningAddresses.InUseMessage(string.Join(", ", ListeningAddresses.Configured(app.Configuration))));
    return 2;
}

return 0;

public partial class Program;
