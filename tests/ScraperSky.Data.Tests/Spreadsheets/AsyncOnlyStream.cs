namespace ScraperSky.Data.Tests.Spreadsheets;

/// An output like an ASP.NET response body: forward-only, and synchronous writes and flushes are refused. It keeps
/// what was written so a test can read it back, and can be told to fail once a number of bytes has gone through.
internal sealed class AsyncOnlyStream(long failAfterBytes = long.MaxValue) : Stream
{
    private readonly MemoryStream _written = new();

    public long BytesWritten => Interlocked.Read(ref _bytes);

    private long _bytes;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public byte[] ToArray()
    {
        lock (_written)
        {
            return _written.ToArray();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new InvalidOperationException("Synchronous operations are disallowed.");

    public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (BytesWritten + buffer.Length > failAfterBytes)
        {
            throw new IOException("The client went away.");
        }

        lock (_written)
        {
            _written.Write(buffer.Span);
        }

        Interlocked.Add(ref _bytes, buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _written.Dispose();
        }

        base.Dispose(disposing);
    }
}
