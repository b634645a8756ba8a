using System.Diagnostics;
using System.Globalization;
using ScraperSky.Cli.Batches;
using Spectre.Console;

namespace ScraperSky.Cli.Output;

/// Shows a batch's progress while it runs (done, failed, total, rate, time left): a live bar on a terminal, a plain
/// line at most every few seconds elsewhere. Returns the last counters seen.
public static class BatchProgressView
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    public static async Task<BatchSummary?> FollowAsync(TextWriter error, IAsyncEnumerable<BatchSummary> updates, CancellationToken cancellationToken)
    {
        if (!Terminal.IsTerminal(error))
        {
            return await FollowPlainAsync(error, updates, cancellationToken);
        }

        BatchSummary? last = null;
        var console = Terminal.For(error);
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("starting", maxValue: 1);
                var rate = new Rate();
                try
                {
                    await foreach (var summary in updates.WithCancellation(cancellationToken))
                    {
                        last = summary;
                        task.MaxValue = Math.Max(1, summary.Total);
                        task.Value = summary.Ended;
                        task.Description = Markup.Escape(Describe(summary, rate.Per(summary), withTimeLeft: false));
                        context.Refresh();
                    }
                }
                finally
                {
                    task.StopTask();
                }
            });
        return last;
    }

    private static async Task<BatchSummary?> FollowPlainAsync(TextWriter error, IAsyncEnumerable<BatchSummary> updates, CancellationToken cancellationToken)
    {
        BatchSummary? last = null;
        var shown = Stopwatch.StartNew();
        var rate = new Rate();
        await foreach (var summary in updates.WithCancellation(cancellationToken))
        {
            var changed = last is null || last.Ended != summary.Ended;
            last = summary;
            if (summary.HasEnded || (changed && shown.Elapsed >= PlainInterval))
            {
                shown.Restart();
                await error.WriteLineAsync("progress: " + Describe(summary, rate.Per(summary), withTimeLeft: true));
            }
        }

        return last;
    }

    private static string Describe(BatchSummary summary, (double PerSecond, TimeSpan? Left) rate, bool withTimeLeft)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{summary.Completed} done, {summary.Failed} failed, {summary.Total} total, {rate.PerSecond:0.0}/s");
        if (summary.Cancelled > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {summary.Cancelled} cancelled");
        }

        return withTimeLeft && rate.Left is { } left && !summary.HasEnded
            ? text + $", {left:hh\\:mm\\:ss} left"
            : text;
    }

    /// Domains ended per second since this view started (a resumed batch's earlier work does not count).
    private sealed class Rate
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int? _start;

        public (double PerSecond, TimeSpan? Left) Per(BatchSummary summary)
        {
            _start ??= summary.Ended;
            var seconds = _clock.Elapsed.TotalSeconds;
            var perSecond = seconds > 0.5 ? (summary.Ended - _start.Value) / seconds : 0;
            TimeSpan? left = perSecond > 0 ? TimeSpan.FromSeconds((summary.Total - summary.Ended) / perSecond) : null;
            return (perSecond, left);
        }
    }
}
