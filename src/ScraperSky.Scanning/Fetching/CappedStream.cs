namespace ScraperSky.Scanning.Fetching;

/// A read-only view of a response body that fails once more than <see cref="Limit"/> bytes have come through, so an
/// endless body or a decompression bomb stops at the cap instead of filling memory. Reads also observe a deadline
/// token, which bounds the whole response (a server that drips one byte a second never finishes).
internal sealed class CappedStream(Stream inner, long limit, CancellationToken deadline) : Stream
{
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

        return Count(inner.Read(buffer));
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
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
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
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// The whole-response deadline passed while the body was still being read.
public sealed class ResponseTimeoutException() : IOException("The response did not complete in time");
