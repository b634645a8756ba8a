using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ScraperSky.Server.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_reports_healthy()
    {
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"healthy\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
