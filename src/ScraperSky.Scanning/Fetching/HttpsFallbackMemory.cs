using System.Collections.Concurrent;

namespace ScraperSky.Scanning.Fetching;

/// What became of a host's https a moment ago. Shared by every fetcher (the scanner, the robots policy and the sitemap
/// reader each have their own), so a host whose port 443 swallows packets costs one connect timeout per scan instead
/// of one per component. Entries expire, so a site that gains https is soon fetched over it again.
///
/// Requests to a host nothing is known of share one https attempt (<see cref="Probe"/>): the first one's attempt
/// decides, and requests arriving meanwhile wait until its TLS handshake has succeeded or failed, then go straight to
/// the winning scheme. A scan asks for robots.txt beside its homepage, and on a host without https each made its own
/// failed attempt, a connection and a ClientHello each.
public sealed class HttpsFallbackMemory(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const int MaxHosts = 10_000;

    private readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, Probe> _probes = new(StringComparer.OrdinalIgnoreCase);

    // Hosts remembered since the last prune, counted here: the dictionary's Count takes every one of its locks, which
    // grow with it to hundreds, and a scan of a host without https remembers it.
    private int _added;

    public bool LacksHttps(string host) => Recall(host) == HttpsOutcome.Lacking;

    public void Remember(string host) => Remember(host, HttpsOutcome.Lacking);

    /// How a request that may use https goes to <paramref name="host"/>: <see cref="HttpsOutcome.Lacking"/> over http,
    /// <see cref="HttpsOutcome.Works"/> over https; <see cref="HttpsOutcome.Undecided"/> with a probe when nothing is
    /// known and no attempt is under way: the caller's https attempt is then the host's, and it must
    /// <see cref="Probe.Settle"/> it whatever happens. A caller that finds an attempt under way waits for its outcome;
    /// one that ends undecided (cancelled, or failed for a reason that says nothing of https) lets the next take over.
    public ValueTask<(HttpsOutcome Outcome, Probe? Probe)> DecideAsync(string host, CancellationToken cancellationToken)
    {
        var known = Recall(host);
        if (known != HttpsOutcome.Undecided)
        {
            return ValueTask.FromResult<(HttpsOutcome, Probe?)>((known, null));
        }

        var (mine, current) = TakeOver(host);
        return mine is not null
            ? ValueTask.FromResult<(HttpsOutcome, Probe?)>((HttpsOutcome.Undecided, mine))
            : WaitAsync(host, current, cancellationToken);
    }

    // The caller's probe when no attempt is under way for the host (it is now the host's), or the one under way.
    private (Probe? Mine, Probe Current) TakeOver(string host)
    {
        var mine = new Probe(this, host);
        var current = _probes.GetOrAdd(host, mine);
        return (current == mine ? mine : null, current);
    }

    private async ValueTask<(HttpsOutcome Outcome, Probe? Probe)> WaitAsync(string host, Probe current, CancellationToken cancellationToken)
    {
        while (true)
        {
            var outcome = await current.Outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (outcome != HttpsOutcome.Undecided)
            {
                return (outcome, null);
            }

            var known = Recall(host);
            if (known != HttpsOutcome.Undecided)
            {
                return (known, null);
            }

            (var mine, current) = TakeOver(host);
            if (mine is not null)
            {
                return (HttpsOutcome.Undecided, mine);
            }
        }
    }

    private HttpsOutcome Recall(string host)
    {
        if (!_known.TryGetValue(host, out var known))
        {
            return HttpsOutcome.Undecided;
        }

        if (time.GetUtcNow() < known.Until)
        {
            return known.Outcome;
        }

        _known.TryRemove(new KeyValuePair<string, Known>(host, known));
        return HttpsOutcome.Undecided;
    }

    private void Remember(string host, HttpsOutcome outcome)
    {
        if (Volatile.Read(ref _added) >= MaxHosts)
        {
            Prune();
        }

        var known = new Known(time.GetUtcNow() + Lifetime, outcome);
        if (_known.TryAdd(host, known))
        {
            Interlocked.Increment(ref _added);
        }
        else
        {
            _known[host] = known;
        }
    }

    private void Prune()
    {
        // Only one caller prunes: the others go on adding, at worst past the limit by as many hosts as there are callers.
        if (Interlocked.Exchange(ref _added, 0) < MaxHosts)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (host, known) in _known)
        {
            if (known.Until <= now)
            {
                _known.TryRemove(host, out _);
            }
        }

        // Still full of live entries: forgetting them only costs a repeated https attempt.
        var left = _known.Count;
        if (left >= MaxHosts)
        {
            _known.Clear();
            left = 0;
        }

        Interlocked.Add(ref _added, left);
    }

    private readonly record struct Known(DateTimeOffset Until, HttpsOutcome Outcome);

    /// A host's https attempt under way, carried in its request's options (<see cref="RequestKey"/>) so that the
    /// handler settles it as soon as the TLS handshake succeeds, before the answer arrives.
    public sealed class Probe
    {
        public static readonly HttpRequestOptionsKey<Probe> RequestKey = new("ScraperSky.HttpsProbe");

        private readonly HttpsFallbackMemory _memory;
        private readonly string _host;
        // The requests waiting go on inline, on the thread that settles: under load another hop through the thread
        // pool's queue would add to the wait of a homepage behind its robots.txt's failed attempt.
        private readonly TaskCompletionSource<HttpsOutcome> _outcome = new();
        private int _settled;

        internal Probe(HttpsFallbackMemory memory, string host)
        {
            _memory = memory;
            _host = host;
        }

        internal Task<HttpsOutcome> Outcome => _outcome.Task;

        /// The first outcome counts: remembered for the host (unless undecided) and handed to the requests waiting;
        /// remembered and taken out of the way before the waiters wake, so none of them finds this probe again.
        public void Settle(HttpsOutcome outcome)
        {
            if (Interlocked.Exchange(ref _settled, 1) != 0)
            {
                return;
            }

            if (outcome != HttpsOutcome.Undecided)
            {
                _memory.Remember(_host, outcome);
            }

            _memory._probes.TryRemove(new KeyValuePair<string, Probe>(_host, this));
            _outcome.SetResult(outcome);
        }
    }
}

/// What a host's https came to: it works, the host lacks it (no connection or no handshake), or nothing is known.
public enum HttpsOutcome
{
    Undecided,
    Works,
    Lacking,
}
