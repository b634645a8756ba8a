using System.Text.Json;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Schedules;

namespace ScraperSky.Data.Tests.Schedules;

public sealed class ScheduleFilterTests
{
    // As schedules created by earlier releases hold it in their `filter` column.
    private const string Stored = """
        {"q":"shop","tech":["WordPress","Elementor"],"category":"CMS","has_email":true,"has_phone":false,"language":"de",
         "wordpress":true,"batch_id":"0192f3a4-5b6c-7d8e-9f00-112233445566","scanned_after":"2026-05-01T00:00:00Z","status":"completed"}
        """;

    [Fact]
    public void A_stored_filter_reads_back_into_every_field_of_the_domain_search()
    {
        var filter = ScheduleFilter.FromJson(Stored);

        Assert.Equal("shop", filter.Text);
        Assert.Equal(["WordPress", "Elementor"], filter.Technologies);
        Assert.Equal("CMS", filter.Category);
        Assert.Equal((true, false), (filter.HasEmail, filter.HasPhone));
        Assert.Equal("de", filter.Language);
        Assert.True(filter.Wordpress);
        Assert.Equal(Guid.Parse("0192f3a4-5b6c-7d8e-9f00-112233445566"), filter.BatchId);
        Assert.Equal(new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc), filter.ScannedAfter!.Value.ToUniversalTime());
        Assert.Equal(JobStatus.Completed, filter.Status);
    }

    [Fact]
    public void A_filter_is_stored_under_the_query_names_and_unset_filters_are_left_out()
    {
        var json = ScheduleFilter.ToJson(new DomainFilter { Text = "shop", Technologies = ["WordPress"], Status = JobStatus.Failed });

        using var document = JsonDocument.Parse(json);
        Assert.Equal(["q", "tech", "status"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("failed", document.RootElement.GetProperty("status").GetString());
        Assert.Equal(json, ScheduleFilter.ToJson(ScheduleFilter.FromJson(json)));
    }

    [Fact]
    public void A_filter_without_technologies_reads_as_none()
    {
        Assert.Empty(ScheduleFilter.FromJson("""{"wordpress":true}""").Technologies);
    }
}
