using ScraperSky.Data;
using ScraperSky.Server.Health;
using ScraperSky.Server.Workers;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddScraperSkyData(builder.Configuration);
builder.AddScanWorkers();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapHealth();

app.Run();

public partial class Program;
