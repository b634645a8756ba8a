using System.Buffers;

namespace ScraperSky.Scanning.Fetching;

/// A fetched page's decoded text, in a pooled buffer the page owns until it is disposed. A page of a few hundred
/// kilobytes decoded into a string went to the large-object heap, and those strings, one or more per scan, drove most
/// of the server's gen2 collections; the buffer goes back to the pool when the scanner is done with the page, and a
/// page read after that throws rather than read a buffer that another page may be using.
public sealed class PageText : IDisposable
{
    // Pages have a pool of their own, bounded: the shared pool also keeps one buffer of each size per thread that gave
    // one back, and a page buffer is half a megabyte of large-object heap that a busy server then holds for good.
    // Beyond the bound a page's buffer is allocated and dropped, as a string was.
    private static readonly ArrayPool<char> Pool = ArrayPool<char>.Create(maxArrayLength: 1 << 21, maxArraysPerBucket: 32);

    private readonly ReadOnlyMemory<char> _text;
    private readonly ArrayPool<char>? _pool;
    private char[]? _rented;
    private int _disposed;

    private PageText(ReadOnlyMemory<char> text, char[]? rented, ArrayPool<char>? pool)
    {
        _text = text;
        _rented = rented;
        _pool = pool;
    }

    /// No text; shared, so disposing it does nothing.
    public static PageText Empty { get; } = new(ReadOnlyMemory<char>.Empty, null, null);

    /// The characters. Throws <see cref="ObjectDisposedException"/> once the page is disposed.
    public ReadOnlyMemory<char> Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _text;
        }
    }

    public ReadOnlySpan<char> Span => Memory.Span;

    public int Length => Memory.Length;

    /// Text that is already a string (a test's page, a fixture): nothing is rented, but it is read under the same rules.
    public static PageText Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(text.AsMemory(), null, null);
    }

    /// Decodes <paramref name="body"/> as <see cref="PageDecoder.Detect"/> says into a buffer rented from the pages' pool.
    public static PageText Decode(ReadOnlySpan<byte> body, string? contentType) =>
        Decode(body, contentType, Pool);

    internal static PageText Decode(ReadOnlySpan<byte> body, string? contentType, ArrayPool<char> pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var encoding = PageDecoder.Detect(body, contentType, out var bomLength);
        var bytes = body[bomLength..];
        if (bytes.IsEmpty)
        {
            return new(ReadOnlyMemory<char>.Empty, null, null);
        }

        // The exact count costs a quick pass over the bytes; the maximum would rent twice the buffer for a UTF-16 page
        // and, for some code pages, more still.
        var rented = pool.Rent(encoding.GetCharCount(bytes));
        try
        {
            var length = encoding.GetChars(bytes, rented);
            return new(rented.AsMemory(0, length), rented, pool);
        }
        catch
        {
            pool.Return(rented);
            throw;
        }
    }

    /// Gives the buffer back, once however often it is called.
    public void Dispose()
    {
        if (ReferenceEquals(this, Empty) || Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Interlocked.Exchange(ref _rented, null) is { } rented)
        {
            _pool!.Return(rented);
        }
    }

    /// The text as a string (tests, messages); the scanner itself reads <see cref="Span"/> or <see cref="Memory"/>.
    public override string ToString() => new(Span);
}
