namespace ScraperSky.Server.Hosting;

/// Kestrel's socket transport as this server's clients use it: a few keep-alive connections (the UI, the command line,
/// API clients polling status), each sending request after request.
public static class SocketTransport
{
    /// Each connection reads into its buffer at once rather than first waiting for data with a zero-byte read, which
    /// costs a receive call per request. The default saves a 4 KB buffer per idle connection, for servers that hold
    /// many thousands of them; this one holds tens.
    public static WebApplicationBuilder UseSocketReadBuffers(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = false);
        return builder;
    }
}
