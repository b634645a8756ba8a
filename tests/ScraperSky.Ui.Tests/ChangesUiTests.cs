using Microsoft.Playwright;
using ScraperSky.Data.Changes;
using static Microsoft.Playwright.Assertions;

namespace ScraperSky.Ui.Tests;

/// Typed changes in the web UI: a switchable fleet site scanned, switched and rescanned from its Domain page, then its
/// changes on that page and in the tenant's feed on the Changes page, filtered and downloaded.
[Collection(UiCollection.Name)]
public sealed class ChangesUiTests(UiServerFixture fixture)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_switched_site_rescanned_from_its_page_shows_its_typed_changes_there_and_in_the_filtered_feed()
    {
        var acme = fixture.Acme;
        await fixture.ScanAsync(acme.Host);
        acme.Version = "v2";

        await using var probe = await fixture.OpenAsync($"/domains/{acme.Host}");
        var page = probe.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Tools", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#domain-changes")).ToContainTextAsync("No changes yet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rescan" }).ClickAsync();

        var changes = page.Locator("#changes-list tbody tr");
        await Expect(changes).ToHaveCountAsync(6, new() { Timeout = (float)Long.TotalMilliseconds });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Tools and Supplies", Level = 1 })).ToBeVisibleAsync();
        var types = await changes.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.type)");
        Assert.Equal(["email_added", "email_removed", "social_changed", "tech_removed", "tech_version_changed", "title_changed"],
            types.Order(StringComparer.Ordinal));
        var version = page.Locator("#changes-list tr[data-type='tech_version_changed']");
        await Expect(version.Locator("td.from")).ToHaveTextAsync("WordPress 6.4.3");
        await Expect(version.Locator("td.to")).ToHaveTextAsync("WordPress 6.5.2");
        await Expect(page.Locator("#changes-list tr[data-type='tech_removed'] td.from")).ToHaveTextAsync("jQuery 3.7.1");

        // Each technology ever seen, jQuery too though the newest scan no longer reports it.
        await Expect(page.Locator("#technologies-seen tr[data-technology='jQuery'] td")).ToHaveCountAsync(2);
        await Expect(page.Locator("#technologies-seen tr[data-technology='WordPress']")).ToBeVisibleAsync();

        // A change's "earlier" link leads to the scan it was compared with, in the history below.
        var earlier = version.GetByRole(AriaRole.Link, new() { Name = "Earlier scan of acme.switch.test compared with" });
        var href = await earlier.GetAttributeAsync("href");
        Assert.Matches("^/domains/acme.switch.test#scan-[0-9a-f]{32}$", href);
        var scanRow = href!.Split('#')[1];
        await earlier.ClickAsync();
        await Expect(page.Locator("#history tbody tr:target")).ToHaveAttributeAsync("id", scanRow);
        await Expect(page.Locator("#history tbody tr").Last).ToHaveAttributeAsync("id", scanRow);

        // The feed, from the navigation.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Changes", Level = 1 })).ToBeVisibleAsync();
        var feed = page.Locator("#changes-table tbody");
        await Expect(feed.Locator($"tr[data-domain='{acme.Host}']")).ToHaveCountAsync(6);
        await probe.ScreenshotAsync("changes");

        await page.GetByLabel("Type").SelectOptionAsync("tech_version_changed");
        await Expect(feed.Locator("tr")).ToHaveCountAsync(1);
        await Expect(feed.Locator("tr td.to")).ToHaveTextAsync("WordPress 6.5.2");
        Assert.Contains("type=tech_version_changed", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Domain").FillAsync(acme.Host);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.GetByLabel("Domain")).ToHaveValueAsync(acme.Host);
        Assert.Contains($"domain={acme.Host}", page.Url, StringComparison.Ordinal);
        await Expect(feed.Locator("tr")).ToHaveCountAsync(1);

        // The address is the page: reloaded (or shared), it opens the same filtered feed.
        await page.ReloadAsync();
        await Expect(page.GetByLabel("Domain")).ToHaveValueAsync(acme.Host);
        await Expect(feed.Locator("tr")).ToHaveCountAsync(1);

        // The downloads are exactly the filtered feed.
        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var lines = (await File.ReadAllTextAsync(await csv.PathAsync(), TestContext.Current.CancellationToken)).TrimStart('\uFEFF')
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("id,detected_at,domain,type,field,from,to,scan_id,previous_scan_id", lines[0], StringComparison.Ordinal);
        Assert.Contains(",acme.switch.test,tech_version_changed,technologies,WordPress 6.4.3,WordPress 6.5.2,", lines[1], StringComparison.Ordinal);
        var json = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download JSON" }).ClickAsync());
        var rows = (await File.ReadAllTextAsync(await json.PathAsync(), TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("\"type\":\"tech_version_changed\"", Assert.Single(rows), StringComparison.Ordinal);

        // Another type of the same domain, then a domain the API refuses: said beside the form.
        await page.GetByLabel("Type").SelectOptionAsync("email_added");
        await Expect(feed.Locator("tr td.to")).ToHaveTextAsync("sales@acme.switch.test");
        await page.GetByLabel("Domain").FillAsync("not a domain");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid domain format");
        probe.AllowConsoleError("400");
    }

    [Fact]
    public async Task The_type_filter_offers_exactly_the_change_types_the_server_records_in_its_order()
    {
        await using var probe = await fixture.OpenAsync("/changes");
        await Expect(probe.Page.GetByLabel("Type")).ToBeVisibleAsync();
        var options = await probe.Page.Locator("#change-type option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Equal(["", .. ChangeTypes.All], options);
    }
}
