using ScraperSky.Data.Jobs;
using ScraperSky.Scanning;

namespace ScraperSky.Server.Workers;

/// A scan's progress, held for the worker's next progress write: the worker writes what all its scans report in one
/// statement per tick (<see cref="ScanWorker"/>), so Report never blocks nor touches the database, and a failing write
/// never fails a scan. Hands over only what a status call would notice: each new step, and another message of the same
/// step at most once per <see cref="MessageInterval"/>. What is held when the scan ends is dropped: the completion
/// overwrites it.
internal sealed class JobProgressWriter(ClaimedJob job, TimeProvider time) : IProgress<ScanProgress>
{
    /// How often a message within one step is written at most (a new step goes in the next write).
    public static readonly TimeSpan MessageInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();

    // The claim wrote the starting step.
    private string _writtenStep = ScanSteps.Starting;
    private long _writtenAt = time.GetTimestamp();
    private ScanProgress? _held;

    public void Report(ScanProgress value)
    {
        lock (_lock)
        {
            _held = value;
        }
    }

    /// The latest report if it is due (a new step, or MessageInterval passed since the last write), counted as written.
    public JobProgress? TakeDue()
    {
        lock (_lock)
        {
            if (_held is null || (_held.Step == _writtenStep && time.GetElapsedTime(_writtenAt) < MessageInterval))
            {
                return null;
            }

            var due = new JobProgress(job, _held.Step, _held.Message);
            (_writtenStep, _writtenAt, _held) = (_held.Step, time.GetTimestamp(), null);
            return due;
        }
    }
}
