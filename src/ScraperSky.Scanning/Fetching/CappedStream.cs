namespace ScraperSky.Scanning.Fetching;

/// A read-only view of a response body that fails once more than <see cref="Limit"/> bytes have come through, so an
/// endless body or a decompression bomb stops at the cap instead of filling memory. Reads also observe a deadline
/// token, which bounds the whole response (a server that drips one byte a second never finishes).
internal sealed class CappedStream(Stream inner, long limit, CancellationToken deadline) : Stream
{
    // A synchronous read cannot observe a token, so at the deadline the body is closed under it: the blocked read
    // fails at once and is reported as the timeout it is.
    private readonly CancellationTokenRegistration _closeAtDeadline = deadline.Register(static s => ((Stream)s!).Dispose(), inner);
    private long _read;

    public long Limit { get; } = limit;

    public long BytesRead => _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (deadline.IsCancellationRequested)
        {
            throw new ResponseTimeoutException();
        }

        try
        {
            return Count(inner.Read(buffer));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException && ex is not ResponseTooLargeException
            && deadline.IsCancellationRequested)
        {
            throw new ResponseTimeoutException();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline);
        try
        {
            return Count(await inner.ReadAsync(buffer, linked.Token));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException
            && ex is not ResponseTooLargeException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ResponseTimeoutException();
        }
    }

    private int Count(int n)
    {
        _read += n;
        if (_read > Limit)
        {
            throw new ResponseTooLargeException(Limit);
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _closeAtDeadline.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _closeAtDeadline.DisposeAsync();
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// The whole-response deadline passed while the body was still being read.
public sealed class ResponseTimeoutException() : IOException("The response did not complete in time");
