using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Sitemaps;

/// A read-only stream whose first bytes can be looked at before reading starts, so the format (gzip, XML, text) is
/// told from the content rather than the file name or content type.
internal sealed class PeekStream(Stream inner) : Stream
{
    private byte[] _prefix = [];
    private int _prefixOffset;

    public async ValueTask<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        if (_prefix.Length - _prefixOffset >= count || _prefixOffset > 0)
        {
            return _prefix.AsMemory(_prefixOffset);
        }

        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await inner.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        _prefix = buffer[..filled];
        return _prefix;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixOffset < _prefix.Length)
        {
            return TakePrefix(buffer);
        }

        return inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixOffset < _prefix.Length)
        {
            return ValueTask.FromResult(TakePrefix(buffer.Span));
        }

        return inner.ReadAsync(buffer, cancellationToken);
    }

    private int TakePrefix(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _prefix.Length - _prefixOffset);
        _prefix.AsSpan(_prefixOffset, n).CopyTo(buffer);
        _prefixOffset += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
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

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// Counts the bytes read through it and refuses to read past a cap (the uncompressed size limit of a sitemap).
internal sealed class CappedStream(Stream inner, long maxBytes) : Stream
{
    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(LimitTo(buffer)));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(LimitTo(buffer), cancellationToken));

    // Asks for one byte past the cap, so a file of exactly the cap reads to its end and a larger one is caught.
    private Span<byte> LimitTo(Span<byte> buffer) => buffer[..(int)Math.Min(buffer.Length, Remaining)];

    private Memory<byte> LimitTo(Memory<byte> buffer) => buffer[..(int)Math.Min(buffer.Length, Remaining)];

    private long Remaining => Math.Max(1, maxBytes + 1 - BytesRead);

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            BytesRead = maxBytes;
            throw new ResponseTooLargeException(maxBytes);
        }

        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
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

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
