using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ScraperSky.Scanning.Domains;

namespace ScraperSky.Scanning.Fetching;

/// Politeness across the whole process: at most `Scanning:MaxConcurrentRequestsPerHost` requests in flight to one
/// registrable domain at a time, whichever scan, batch or tenant makes them (one instance per service provider,
/// shared by every fetcher). A request holds its slot from sending until its body is read or the response disposed;
/// a redirect to another registrable domain trades the slot for one of that domain. Waiting for a slot observes the
/// caller's token only, so a busy site delays requests rather than timing them out.
public sealed class HostConcurrency(IOptions<ScanningOptions> options)
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    public int Limit { get; } = Math.Max(1, options.Value.MaxConcurrentRequestsPerHost);

    /// Requests in flight to the registrable domain of <paramref name="host"/>.
    public int InFlight(string host) =>
        _gates.TryGetValue(RegistrableDomain.Of(host), out var gate) ? Limit - gate.Slots.CurrentCount : 0;

    public static string KeyOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return RegistrableDomain.Of(url.IdnHost);
    }

    public async Task<Lease> EnterAsync(Uri url, CancellationToken cancellationToken)
    {
        var key = KeyOf(url);
        while (true)
        {
            var gate = _gates.GetOrAdd(key, _ => new Gate(Limit));
            lock (gate)
            {
                if (gate.Retired)
                {
                    continue;
                }

                gate.Users++;
            }

            try
            {
                await gate.Slots.WaitAsync(cancellationToken);
            }
            catch
            {
                Leave(key, gate, release: false);
                throw;
            }

            return new Lease(this, key, gate);
        }
    }

    private void Leave(string key, Gate gate, bool release)
    {
        if (release)
        {
            gate.Slots.Release();
        }

        lock (gate)
        {
            // The last user retires the gate, so the table holds only domains with requests in flight or waiting.
            if (--gate.Users == 0)
            {
                gate.Retired = true;
                _gates.TryRemove(new KeyValuePair<string, Gate>(key, gate));
            }
        }
    }

    internal sealed class Gate(int limit)
    {
        public SemaphoreSlim Slots { get; } = new(limit, limit);
        public int Users { get; set; }
        public bool Retired { get; set; }
    }

    /// One slot, given back when disposed (once).
    public sealed class Lease : IDisposable
    {
        private readonly HostConcurrency _owner;
        private readonly Gate _gate;
        private int _disposed;

        internal Lease(HostConcurrency owner, string key, Gate gate)
        {
            _owner = owner;
            _gate = gate;
            Key = key;
        }

        public string Key { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Leave(Key, _gate, release: true);
            }
        }
    }
}
