using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace ScraperSky.Ui.Tests;

[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiServerFixture>
{
    public const string Name = "web UI";
}

/// The web UI in a real Chromium against the real server and the test-site fleet. Every page of a test is probed:
/// a request to another origin or a console error fails it.
[Collection(UiCollection.Name)]
public sealed class WebUiTests(UiServerFixture fixture)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    // The UI changes pages with history.pushState. Page URLs are asserted by polling the page (ToHaveURL), never
    // with WaitForURL: that one checks the URL Playwright last heard of and then waits for a navigation event, and a
    // pushState landing between the two is missed — the test then waits 30 s on a page that is already there.
    private static readonly Regex BatchPage = new("/batches/batch_[0-9a-f]+$");

    [Fact]
    public async Task Three_pasted_domains_are_followed_to_the_end_of_their_batch_using_only_the_keyboard()
    {
        await using var probe = await fixture.OpenAsync("/");
        var page = probe.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New scan" })).ToBeVisibleAsync();
        await probe.ScreenshotAsync("new-scan");

        await page.GetByLabel("Domains").FillAsync("ann.shop.ui.test\nbob.plain.ui.test, cat.shop.ui.test");
        // Tab from the textarea to "Start scan", then Enter: the form works from the keyboard alone.
        for (var i = 0; i < 12 && await page.EvaluateAsync<string>("document.activeElement?.id") != "start"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal("start", await page.EvaluateAsync<string>("document.activeElement?.id"));
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(BatchPage, new() { Timeout = 30_000 });
        await Expect(page.Locator("main[data-ended='true']")).ToBeVisibleAsync(new() { Timeout = (float)Long.TotalMilliseconds });
        var bar = page.GetByRole(AriaRole.Progressbar, new() { Name = "Batch progress" });
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "100");
        await Expect(page.Locator("[data-counter='completed'] b")).ToHaveTextAsync("3");
        await Expect(page.Locator("[data-counter='failed'] b")).ToHaveTextAsync("0");
        foreach (var domain in new[] { "ann.shop.ui.test", "bob.plain.ui.test", "cat.shop.ui.test" })
        {
            await Expect(page.Locator($"tr[data-domain='{domain}']")).ToContainTextAsync("completed");
        }

        await probe.ScreenshotAsync("batch");
    }

    [Fact]
    public async Task An_uploaded_csv_gives_back_the_enriched_csv_and_excel_files()
    {
        await using var probe = await fixture.OpenAsync("/");
        var page = probe.Page;
        var csv = "company,website\nDan Ltd,dan.shop.ui.test\nEve GmbH,https://eve.plain.ui.test/\n";
        await page.GetByLabel("Upload CSV or Excel").SetInputFilesAsync(new FilePayload
        {
            Name = "leads.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Start scan" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(BatchPage, new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Batch: leads.csv" })).ToBeVisibleAsync();
        await Expect(page.Locator("main[data-ended='true']")).ToBeVisibleAsync(new() { Timeout = (float)Long.TotalMilliseconds });

        var csvDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var lines = (await File.ReadAllTextAsync(await csvDownload.PathAsync(), TestContext.Current.CancellationToken)).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("company,website,row,input,domain,status,error", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("Dan Ltd,dan.shop.ui.test,", StringComparison.Ordinal) && l.Contains(",completed,", StringComparison.Ordinal)
                                    && l.Contains("Dan Shop", StringComparison.Ordinal) && l.Contains("sales@dan.shop.ui.test", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Eve GmbH,https://eve.plain.ui.test/,", StringComparison.Ordinal) && l.Contains("Eve Plain", StringComparison.Ordinal));

        var xlsxDownload = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download Excel" }).ClickAsync());
        var rows = MiniExcel.Query(await xlsxDownload.PathAsync(), useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(2, rows.Count);
        var dan = Assert.Single(rows, r => Equals(r["domain"], "dan.shop.ui.test"));
        Assert.Equal("Dan Ltd", dan["company"]);
        Assert.Equal("completed", dan["status"]);
        Assert.Equal("Dan Shop", dan["title"]);
        Assert.Equal("eve.plain.ui.test", Assert.Single(rows, r => Equals(r["company"], "Eve GmbH"))["domain"]);
    }

    [Fact]
    public async Task The_domains_table_is_searched_filtered_and_sorted()
    {
        await fixture.ScanAsync("fay.shop.ui.test", "gus.plain.ui.test", "hal.shop.ui.test");
        await using var probe = await fixture.OpenAsync("/domains");
        var page = probe.Page;
        var table = page.Locator("#domains-table tbody");

        await page.GetByLabel("Search").FillAsync("gus");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(table.Locator("tr")).ToHaveCountAsync(1);
        await Expect(table.Locator("tr[data-domain='gus.plain.ui.test']")).ToContainTextAsync("Gus Plain");
        Assert.Contains("q=gus", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("Search").FillAsync("ui.test");
        await page.GetByLabel("Has email").SelectOptionAsync("true");
        await Expect(table.Locator("tr[data-domain='gus.plain.ui.test']")).ToHaveCountAsync(0);
        await Expect(table.Locator("tr[data-domain='fay.shop.ui.test']")).ToHaveCountAsync(1);
        await page.GetByLabel("WordPress").SelectOptionAsync("true");
        await Expect(table.Locator("tr[data-domain='hal.shop.ui.test']")).ToContainTextAsync("WordPress");

        await page.GetByRole(AriaRole.Button, new() { Name = "Domain" }).ClickAsync();
        await Expect(page.Locator("th[aria-sort='descending']")).ToHaveCountAsync(1);
        await Expect(table.Locator("tr[data-domain='hal.shop.ui.test']")).ToBeVisibleAsync(); // the re-sorted page has loaded
        var domains = await table.Locator("tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.domain)");
        Assert.Equal(domains.OrderByDescending(d => d, StringComparer.Ordinal), domains);
        Assert.DoesNotContain("gus.plain.ui.test", domains);

        // The download is the filtered set, no more.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        var lines = (await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(domains.Length + 1, lines.Length);
        Assert.DoesNotContain(lines, l => l.Contains("gus.plain.ui.test", StringComparison.Ordinal));
        await probe.ScreenshotAsync("domains");
    }

    [Fact]
    public async Task One_scanned_domain_opens_with_its_facts_images_and_history_and_is_rescanned()
    {
        await using var probe = await fixture.OpenAsync("/");
        var page = probe.Page;
        await page.GetByLabel("Domains").FillAsync("ivy.shop.ui.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start scan" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/domains/ivy\\.shop\\.ui\\.test$"), new() { Timeout = (float)Long.TotalMilliseconds });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ivy Shop", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#emails")).ToContainTextAsync("sales@ivy.shop.ui.test");
        await Expect(page.Locator("#emails")).ToContainTextAsync("found on");
        await Expect(page.Locator("#phones")).ToContainTextAsync("+44 20 7946 0018");
        await Expect(page.Locator("#technologies")).ToContainTextAsync("WordPress");
        await Expect(page.Locator("#technologies")).ToContainTextAsync("6.4.2");
        var favicon = page.Locator("img.favicon");
        await Expect(favicon).ToBeVisibleAsync();
        Assert.StartsWith("blob:", await favicon.GetAttributeAsync("src"), StringComparison.Ordinal);
        Assert.Equal(1, await favicon.EvaluateAsync<int>("img => img.naturalWidth"));
        await Expect(page.Locator("#history tbody tr")).ToHaveCountAsync(1);
        await probe.ScreenshotAsync("domain");

        await page.GetByRole(AriaRole.Button, new() { Name = "Rescan" }).ClickAsync();
        await Expect(page.Locator("#history tbody tr")).ToHaveCountAsync(2, new() { Timeout = (float)Long.TotalMilliseconds });
    }

    [Fact]
    public async Task A_running_batch_is_cancelled_and_its_waiting_entries_end_as_cancelled()
    {
        try
        {
            await using var probe = await fixture.OpenAsync("/");
            var page = probe.Page;
            await page.GetByLabel("Domains").FillAsync("jo.slow.ui.test; kim.slow.ui.test; lu.slow.ui.test; max.slow.ui.test; ned.slow.ui.test");
            await page.GetByRole(AriaRole.Button, new() { Name = "Start scan" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(BatchPage, new() { Timeout = 30_000 });
            await Expect(page.Locator("[data-counter='running'] b")).Not.ToHaveTextAsync("0", new() { Timeout = (float)Long.TotalMilliseconds });

            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(page.GetByText("waiting entries; running scans finish")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-counter='pending'] b")).ToHaveTextAsync("0");
            await Expect(page.Locator("[data-counter='cancelled'] b")).Not.ToHaveTextAsync("0");
            await Expect(page.Locator("tbody tr", new() { HasText = "cancelled" }).First).ToBeVisibleAsync();
            await probe.ScreenshotAsync("batch-cancelled");

            fixture.Sites.ReleaseSlowSites();
            await Expect(page.Locator("main[data-ended='true']")).ToBeVisibleAsync(new() { Timeout = (float)Long.TotalMilliseconds });
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry failed" })).ToBeEnabledAsync();
        }
        finally
        {
            fixture.Sites.ReleaseSlowSites();
        }
    }

    [Fact]
    public async Task The_batches_page_lists_batches_newest_first_with_their_progress()
    {
        await fixture.ScanAsync("oli.plain.ui.test");
        var newest = await fixture.ScanAsync("pam.plain.ui.test", "quin.plain.ui.test");
        await using var probe = await fixture.OpenAsync("/batches");
        var page = probe.Page;
        var first = page.Locator("tbody tr").First;
        await Expect(first.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/batches/{newest}");
        await Expect(first.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100");
        await probe.ScreenshotAsync("batches");

        await first.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/batches/{newest}$"), new() { Timeout = 30_000 });
        await Expect(page.Locator("tr[data-domain='quin.plain.ui.test']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_api_reference_at_docs_works_without_any_request_leaving_the_server()
    {
        await using var probe = await fixture.OpenAsync("/docs");
        var page = probe.Page;
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Whether the server is up" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "post /api/v1/batch", Exact = true })).ToBeAttachedAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Empty(probe.OffOriginRequests);
        await probe.ScreenshotAsync("docs");
    }
}
