using System.Collections.Concurrent;

namespace ScraperSky.Scanning.Fetching;

/// Hosts whose https could not be reached a moment ago. Shared by every fetcher (the scanner, the robots policy and the
/// sitemap reader each have their own), so a host whose port 443 swallows packets costs one connect timeout per
/// scan instead of one per component. Entries expire, so a site that gains https is soon fetched over it again.
public sealed class HttpsFallbackMemory(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const int MaxHosts = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.OrdinalIgnoreCase);

    // Hosts remembered since the last prune, counted here: the dictionary's Count takes every one of its locks, which
    // grow with it to hundreds, and a scan of a host without https remembers it.
    private int _added;

    public bool LacksHttps(string host)
    {
        if (!_until.TryGetValue(host, out var until))
        {
            return false;
        }

        if (time.GetUtcNow() < until)
        {
            return true;
        }

        _until.TryRemove(host, out _);
        return false;
    }

    public void Remember(string host)
    {
        if (Volatile.Read(ref _added) >= MaxHosts)
        {
            Prune();
        }

        if (_until.TryAdd(host, time.GetUtcNow() + Lifetime))
        {
            Interlocked.Increment(ref _added);
        }
        else
        {
            _until[host] = time.GetUtcNow() + Lifetime;
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
        foreach (var (host, until) in _until)
        {
            if (until <= now)
            {
                _until.TryRemove(host, out _);
            }
        }

        // Still full of live entries: forgetting them only costs a repeated https attempt.
        var left = _until.Count;
        if (left >= MaxHosts)
        {
            _until.Clear();
            left = 0;
        }

        Interlocked.Add(ref _added, left);
    }
}
