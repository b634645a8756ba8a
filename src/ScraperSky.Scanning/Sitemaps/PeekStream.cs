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

    // A read begun by TryBufferToEnd that had to wait: its bytes land after the prefix and are read next.
    private ValueTask<int> _pending;
    private bool _hasPending;

    /// At least <paramref name="count"/> bytes from the start (fewer only at the end of the stream); returns as soon
    /// as that many arrived, so a slow server is not waited on for more than is needed. Only before reading starts.
    public async ValueTask<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        if (_started || _hasPending)
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

    /// Takes in what of the rest of the stream has already arrived, without waiting for more, up to
    /// <paramref name="max"/> bytes from the start in all: true when that was the whole stream, which is then
    /// <see cref="Buffered"/>. A read that would wait is left under way and its bytes are the next ones read, so a slow
    /// server is waited on by the reader, as before. Only before reading starts.
    public bool TryBufferToEnd(int max)
    {
        if (_started || _hasPending)
        {
            throw new InvalidOperationException("The stream has been read from; it can no longer be peeked.");
        }

        while (_filled < max)
        {
            if (_filled == _prefix.Length)
            {
                Array.Resize(ref _prefix, Math.Min(max, _prefix.Length * 2));
            }

            var read = inner.ReadAsync(_prefix.AsMemory(_filled, Math.Min(_prefix.Length, max) - _filled), readToken);
            if (!read.IsCompleted)
            {
                _pending = read;
                _hasPending = true;
                return false;
            }

            var n = read.GetAwaiter().GetResult();
            if (n == 0)
            {
                return true;
            }

            _filled += n;
        }

        return false;
    }

    /// What was taken in before reading started.
    public ArraySegment<byte> Buffered => new(_prefix, 0, _filled);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _started = true;
        if (_prefixOffset < _filled)
        {
            return TakePrefix(buffer);
        }

        if (_hasPending)
        {
            _hasPending = false;
            _filled += _pending.AsTask().GetAwaiter().GetResult();
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

        if (_hasPending)
        {
            return TakePendingAsync(buffer);
        }

        return inner.ReadAsync(buffer, cancellationToken.CanBeCanceled ? cancellationToken : readToken);
    }

    private async ValueTask<int> TakePendingAsync(Memory<byte> buffer)
    {
        _hasPending = false;
        _filled += await _pending;
        return TakePrefix(buffer.Span);
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
