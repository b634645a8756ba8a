using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ScraperSky.Data;
using ScraperSky.Data.Tenancy;
using static Microsoft.Playwright.Assertions;

namespace ScraperSky.Ui.Tests;

/// A server that requires API keys.
public sealed class ApiKeyServerFixture : UiServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Auth__RequireApiKey"] = "true" };

    /// Issues a key for a new tenant, as `scrapersky tenants create` does, in the server's database.
    public async Task<string> IssueKeyAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:ScraperSky"] = $"Data Source={DatabasePath}",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddScoped<TenantStore>()
            .AddScraperSkyData(configuration).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var (_, key) = await scope.ServiceProvider.GetRequiredService<TenantStore>().CreateTenantAsync("ui", CancellationToken.None);
        return key.Key;
    }
}

public sealed class ApiKeyUiTests(ApiKeyServerFixture fixture) : IClassFixture<ApiKeyServerFixture>
{
    [Fact]
    public async Task With_keys_required_the_ui_asks_for_one_says_clearly_when_it_is_wrong_and_works_with_a_right_one()
    {
        var key = await fixture.IssueKeyAsync();
        await using var probe = await fixture.OpenAsync("");
        // The browser reports each refused request as a failed load: expected here, and only here.
        probe.AllowConsoleError("401");
        var page = probe.Page;
        await page.GotoAsync("/domains");

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "API key needed" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("This server requires an API key");
        await dialog.GetByLabel("API key").FillAsync("ssk_not_a_key");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();

        await Expect(dialog).ToContainTextAsync("The API key was not accepted: The API key is invalid or has been revoked.");
        await probe.ScreenshotAsync("api-key");
        await dialog.GetByLabel("API key").FillAsync(key);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.GetByText("No domain scanned yet.")).ToBeVisibleAsync();

        // The key is kept: a scan and its result page need no second prompt, images and files included.
        await page.GotoAsync("/");
        await page.GetByLabel("Domains").FillAsync("kay.shop.ui.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start scan" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/domains/kay\\.shop\\.ui\\.test$"), new() { Timeout = 90_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kay Shop", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("img.favicon")).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        Assert.Contains("kay.shop.ui.test", await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await Expect(dialog).ToBeHiddenAsync();
    }
}
