using ScraperSky.Data.Jobs;

namespace ScraperSky.Data.Tests.Jobs;

public sealed class RetryDelayTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    public void Each_retry_waits_twice_as_long_as_the_one_before_within_a_quarter_either_way(int attempt, int seconds)
    {
        var first = TimeSpan.FromSeconds(2);
        Assert.Equal(TimeSpan.FromSeconds(seconds * 0.75), JobQueue.RetryDelay(first, attempt, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(seconds), JobQueue.RetryDelay(first, attempt, jitter: 0.5));
        Assert.True(JobQueue.RetryDelay(first, attempt, jitter: 0.999) < TimeSpan.FromSeconds(seconds * 1.25));
    }
}
