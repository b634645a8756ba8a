using Microsoft.Extensions.Time.Testing;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;
using ScraperSky.Server.Workers;

namespace ScraperSky.Server.Tests.Workers;

/// What a scan's progress hands to the worker's next write: each new step, and another message of the same step only
/// once a second has passed since the last write.
public sealed class JobProgressWriterTests
{
    private static readonly ClaimedJob Job = new()
    {
        Id = Guid.NewGuid(), TenantId = Guid.NewGuid(), Domain = "shop.test", Attempts = 1, MaxAttempts = 3, Owner = "worker-1",
    };

    [Fact]
    public void A_new_step_is_due_at_once_and_only_the_latest_report_is_handed_over()
    {
        var writer = new JobProgressWriter(Job, new FakeTimeProvider());
        Assert.Null(writer.TakeDue());

        writer.Report(new ScanProgress(ScanSteps.Extracting, "Reading the homepage"));
        writer.Report(new ScanProgress(ScanSteps.Extracting, "Reading /contact"));

        Assert.Equal(new JobProgress(Job, ScanSteps.Extracting, "Reading /contact"), writer.TakeDue());
        Assert.Null(writer.TakeDue());
    }

    [Fact]
    public void Another_message_of_the_written_step_waits_for_the_message_interval()
    {
        var time = new FakeTimeProvider();
        var writer = new JobProgressWriter(Job, time);
        writer.Report(new ScanProgress(ScanSteps.Starting, "Fetching the homepage"));
        Assert.Null(writer.TakeDue());

        time.Advance(JobProgressWriter.MessageInterval);

        Assert.Equal("Fetching the homepage", writer.TakeDue()?.Message);
        writer.Report(new ScanProgress(ScanSteps.Starting, "Still fetching"));
        Assert.Null(writer.TakeDue());
        writer.Report(new ScanProgress(ScanSteps.Extracting, "Reading the homepage"));
        Assert.Equal(ScanSteps.Extracting, writer.TakeDue()?.Step);
    }
}
