using System.Threading.Channels;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Server.Workers;

/// Persists a scan's progress reports in the order they were made, off the scanner's path: Report never blocks and
/// a slow or failing database write never fails the scan (the next report or the completion overwrites it). Writes
/// only what a status call would notice: each new step, and messages at most once per <see cref="MessageInterval"/>.
internal sealed partial class JobProgressWriter : IProgress<ScanProgress>, IAsyncDisposable
{
    /// How often a message within one step is written at most (a new step is written at once).
    public static readonly TimeSpan MessageInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<ScanProgress> _reports = Channel.CreateBounded<ScanProgress>(
        new BoundedChannelOptions(8) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly JobQueue _queue;
    private readonly ClaimedJob _job;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Task _pump;

    public JobProgressWriter(JobQueue queue, ClaimedJob job, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        _time = time;
        _queue = queue;
        _job = job;
        _logger = logger;
        _pump = PumpAsync(cancellationToken);
    }

    public void Report(ScanProgress value) => _reports.Writer.TryWrite(value);

    public async ValueTask DisposeAsync()
    {
        _reports.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        // The claim wrote the starting step. A new step is written at once; another message within the same step only
        // once MessageInterval has passed since the last write, so a scan that reads a few pages in a second costs one
        // or two writes rather than one per page, and a slow one still shows what it reads now. What is held when the
        // scan ends is dropped: the completion overwrites it.
        var writtenStep = ScanSteps.Starting;
        var writtenAt = _time.GetTimestamp();
        ScanProgress? held = null;
        try
        {
            while (true)
            {
                if (_reports.Reader.TryRead(out var report))
                {
                    if (report.Step != writtenStep || _time.GetElapsedTime(writtenAt) >= MessageInterval)
                    {
                        await WriteAsync(report, cancellationToken);
                        (writtenStep, writtenAt, held) = (report.Step, _time.GetTimestamp(), null);
                    }
                    else
                    {
                        held = report;
                    }

                    continue;
                }

                var more = _reports.Reader.WaitToReadAsync(cancellationToken).AsTask();
                var wait = MessageInterval - _time.GetElapsedTime(writtenAt);
                if (held is null || (wait > TimeSpan.Zero && await Task.WhenAny(more, Task.Delay(wait, _time, cancellationToken)) == more))
                {
                    if (!await more)
                    {
                        return;
                    }

                    continue;
                }

                await WriteAsync(held, cancellationToken);
                (writtenStep, writtenAt, held) = (held.Step, _time.GetTimestamp(), null);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The scan was stopped; its progress no longer matters.
        }
    }

    private async Task WriteAsync(ScanProgress report, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.ReportProgressAsync(_job, report.Step, report.Message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogProgressFailed(_logger, e, _job.PublicId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the progress of job {JobId}")]
    private static partial void LogProgressFailed(ILogger logger, Exception exception, string jobId);
}
