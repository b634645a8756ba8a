using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace ScraperSky.Server.Hosting;

/// Where Kestrel runs a request. By default a request passes through two thread-pool queues after the socket reports
/// its bytes (the connection's pipe hands it to the thread pool, and its answer goes to the transport's I/O queue to be
/// sent), and each hop waits behind whatever the scans queued meanwhile: their fetches, sitemaps and database writes.
/// Inline, a request runs to its first real wait on the thread-pool thread that read the socket, and its answer is
/// sent from there.
///
/// Only the runtime's own hop from the socket's event thread to the thread pool remains
/// (`DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS` is not set, so no request code runs on that event thread and the
/// scans' own sockets are not touched): work that blocks a request (a SQLite read, which is synchronous under its async
/// API; a 10,000-domain submission) blocks a thread-pool thread, as it did before.
public static class RequestScheduling
{
    public static WebApplicationBuilder RunRequestsInline(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        return builder;
    }
}
