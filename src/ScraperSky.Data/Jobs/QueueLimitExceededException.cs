namespace ScraperSky.Data.Jobs;

/// A submission refused because the tenant already has too many jobs waiting; nothing of it was stored.
public sealed class QueueLimitExceededException(int limit, int queued, int adding)
    : Exception($"Too many queued jobs: at most {limit} may wait per tenant and {queued} are queued, " +
                $"so {adding} more cannot be accepted. Submit again when some have started.")
{
    public int Limit { get; } = limit;
    public int Queued { get; } = queued;
    public int Adding { get; } = adding;
}
