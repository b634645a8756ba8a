using System.Threading.Channels;
using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Server.Workers;

/// Persists a scan's progress reports in the order they were made, off the scanner's path: Report never blocks and
/// a slow or failing database write never fails the scan (the next report or the completion overwrites it).
internal sealed partial class JobProgressWriter : IProgress<ScanProgress>, IAsyncDisposable
{
    private readonly Channel<ScanProgress> _reports = Channel.CreateBounded<ScanProgress>(
        new BoundedChannelOptions(8) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly JobQueue _queue;
    private readonly ClaimedJob _job;
    private readonly ILogger _logger;
    private readonly Task _pump;

    public JobProgressWriter(JobQueue queue, ClaimedJob job, ILogger logger, CancellationToken cancellationToken)
    {
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
        try
        {
            await foreach (var report in _reports.Reader.ReadAllAsync(cancellationToken))
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
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The scan was stopped; its progress no longer matters.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the progress of job {JobId}")]
    private static partial void LogProgressFailed(ILogger logger, Exception exception, string jobId);
}
