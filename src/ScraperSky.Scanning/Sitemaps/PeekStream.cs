namespace ScraperSky.Scanning.Sitemaps;

/// A read-only stream whose first bytes can be looked at before reading starts, so the format (gzip, XML, text) is
/// told from the content rather than the file name or content type. Reads made without a token (XmlReader's) observe
/// <paramref name="readToken"/>, so a file timeout also stops a reader that cannot be handed one.
internal sealed class PeekStream(Stream inner, CancellationToken readToken = default) : Stream
{
    private byte[] _prefix = new byte[1024];
    private int _filled;
    private int _prefixOffset;
    private bool _started;

    /// At least <paramref name="count"/> bytes from the start (fewer only at the end of the stream); returns as soon
    /// as that many arrived, so a slow server is not waited on for more than is needed. Only before reading starts.
    public async ValueTask<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        if (_started)
        {
            throw new InvalidOperationException("The stream has been read from; it can no longer be peeked.");
        }

        if (count > _prefix.Length)
        {
            Array.Resize(ref _prefix, count);
        }

        while (_filled < count)
        {
            var read = await inner.ReadAsync(_prefix.AsMemory(_filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            _filled += read;
        }

        return _prefix.AsMemory(0, _filled);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _started = true;
        if (_prefixOffset < _filled)
        {
            return TakePrefix(buffer);
        }

        return inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _started = true;
        if (_prefixOffset < _filled)
        {
            return ValueTask.FromResult(TakePrefix(buffer.Span));
        }

        return inner.ReadAsync(buffer, cancellationToken.CanBeCanceled ? cancellationToken : readToken);
    }

    private int TakePrefix(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _filled - _prefixOffset);
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
