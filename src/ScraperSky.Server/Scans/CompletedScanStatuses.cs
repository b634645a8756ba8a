using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ScraperSky.Server.Scans;

/// The status answers of completed scans, kept as the bytes sent, so that polling a finished scan costs neither a
/// database read nor writing its result (up to 256 KB) again: those were most of a status request's CPU.
///
/// Correct only because a completed job is final, in this process and in any other on the same database: every
/// statement that changes a job's status, step, message or end time requires the job to be pending or running (a
/// retry requeues failed and cancelled jobs only), the completion writes the job and its result in one transaction,
/// and nothing deletes jobs or scans. A feature that changes or deletes completed jobs must remove them here.
/// Failed and cancelled jobs are never kept (a retry queues them again). An answer is given only to a request that
/// may read the job's tenant.
public sealed class CompletedScanStatuses(IOptions<JsonOptions> json) : IDisposable
{
    /// The bench's result is 23 KB, the largest 256 KB: some hundreds of recently polled scans.
    private const long CacheBytes = 8L * 1024 * 1024;

    /// An answer nobody asked for in this long is dropped, so an idle server gives the memory back.
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheBytes });
    private readonly JsonTypeInfo<ScanStatus> _typeInfo = (JsonTypeInfo<ScanStatus>)json.Value.SerializerOptions.GetTypeInfo(typeof(ScanStatus));

    /// The answer kept for the job, if any and if <paramref name="scope"/> (null: every tenant) may read it.
    public byte[]? Find(Guid jobId, Guid? scope) =>
        _cache.TryGetValue(jobId, out Entry? entry) && entry is not null && (scope is null || scope == entry.TenantId)
            ? entry.Body
            : null;

    /// Writes a completed scan's status as the endpoint answers it (the API's JSON options) and keeps it. Throws, and
    /// keeps nothing, when the stored result is not JSON.
    public byte[] Add(Guid jobId, Guid tenantId, ScanStatus status)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(status, _typeInfo);
        _cache.Set(jobId, new Entry(tenantId, body), new MemoryCacheEntryOptions { Size = body.Length, SlidingExpiration = Keep });
        return body;
    }

    public void Dispose() => _cache.Dispose();

    private sealed record Entry(Guid TenantId, byte[] Body);
}
