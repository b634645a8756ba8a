namespace ScraperSky.Scanning.Tests;

/// The queue between the extraction lane's threads: takers sleep while it is empty and wake for each item, in order,
/// until adding is completed and everything is taken.
public sealed class HandOffQueueTests
{
    [Fact]
    public async Task Sleeping_takers_wake_for_each_item_and_end_once_adding_is_completed_and_all_are_taken()
    {
        var queue = new HandOffQueue<int>();
        var taken = new List<int>[3];
        var takers = Enumerable.Range(0, 3).Select(t => Task.Factory.StartNew(() =>
        {
            taken[t] = [];
            foreach (var item in queue.GetConsumingEnumerable())
            {
                taken[t].Add(item);
            }
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToList();

        // Items come one by one after the takers went to sleep, then in a burst just before adding ends.
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
            queue.Add(i);
        }

        for (var i = 20; i < 1000; i++)
        {
            queue.Add(i);
        }

        queue.CompleteAdding();
        await Task.WhenAll(takers).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 1000), taken.SelectMany(t => t).Order());
        // Each taker saw its items in the order they were added.
        Assert.All(taken, t => Assert.Equal(t.Order(), t));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Items_added_before_completion_are_still_taken_and_later_ones_are_refused()
    {
        var queue = new HandOffQueue<string>();
        queue.Add("a");
        queue.Add("b");
        queue.CompleteAdding();

        Assert.True(queue.IsAddingCompleted);
        Assert.Throws<InvalidOperationException>(() => queue.Add("c"));
        Assert.Equal(["a", "b"], queue.GetConsumingEnumerable());
    }
}
