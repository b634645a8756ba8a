using System.Globalization;

namespace ScraperSky.Scanning;

/// The time limit of one scan (`Scanning:ScanDeadline`). <see cref="Token"/> ends at the deadline or when the caller
/// cancels; the scan's steps run under it and, when the deadline is what ended them, the scan goes on to finish with
/// what it has read, noting what it left out (<see cref="Missed"/>). The result is then marked partial with that
/// reason (<see cref="Apply"/>). A caller's cancellation is not a deadline: it ends the scan as before.
internal sealed class ScanDeadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _caller;
    private readonly List<string> _missed = [];

    public ScanDeadline(TimeSpan limit, TimeProvider time, CancellationToken caller)
    {
        Limit = limit;
        _caller = caller;
        _timer = new CancellationTokenSource(limit, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timer.Token);
    }

    public TimeSpan Limit { get; }

    /// Cancelled at the deadline or by the caller.
    public CancellationToken Token => _linked.Token;

    /// Cancelled at the deadline only.
    public CancellationToken DeadlineToken => _timer.Token;

    public bool Passed => _timer.IsCancellationRequested;

    /// The exception ended a step because the deadline came (not because the caller cancelled).
    public bool Ended(Exception e) => e is OperationCanceledException && Passed && !_caller.IsCancellationRequested;

    public void Missed(string what) => _missed.Add(what);

    public string Seconds => Limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    public SiteMetadata Apply(SiteMetadata metadata) => _missed.Count == 0
        ? metadata
        : metadata with
        {
            Partial = true,
            PartialReason = ErrorText.Cap($"The scan reached its time limit of {Seconds} s: {string.Join("; ", _missed)}."),
        };

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
