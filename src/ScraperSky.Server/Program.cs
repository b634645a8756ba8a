using ScraperSky.Data;
using ScraperSky.Server.Health;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddScraperSkyData(builder.Configuration);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapHealth();

app.Run();

public partial class Program;
