using System.Buffers;
using System.Text;

namespace ScraperSky.Scanning.Fetching;

/// A fetched page's text, in pooled buffers the page owns until it is disposed. A page of a few hundred kilobytes
/// decoded into a string went to the large-object heap, and those strings, one or more per scan, drove most of the
/// server's gen2 collections; the buffers go back to their pools when the scanner is done with the page, and a page
/// read after that throws rather than read a buffer that another page may be using.
///
/// The body is kept as it came (UTF-8 for most pages: half the size of its UTF-16 text) and decoded the first time its
/// text is read, which is on the extraction lane: the pages waiting for the lane, dozens when it is busy, hold bytes,
/// and only the few being extracted hold text. <see cref="CopyStart"/> reads the beginning without decoding the rest.
public sealed class PageText : IDisposable
{
    // Pages have pools of their own, bounded: the shared pool also keeps one buffer of each size per thread that gave
    // one back, and a page buffer is a quarter to half a megabyte of large-object heap that a busy server then holds
    // for good. Beyond the bound a page's buffer is allocated and dropped, as a string was. 32 of each size: with ~70
    // scans running (10,000 domains) a heap dump held ~60 bodies and ~25 texts at once, and at 16 bodies and 8 texts a
    // size the pool lent the next two sizes up (a 250 KB page in a 1 MB buffer), then allocated buffers it dropped on
    // their return, large-object garbage that only a gen2 collection frees: peak RSS 262-269 against 279-285 MiB
    // (load-run, 10,000 domains, three pairs), 271 against 282 at 3,000; 64 a size measured no better.
    private static readonly ArrayPool<char> TextPool = ArrayPool<char>.Create(maxArrayLength: 1 << 21, maxArraysPerBucket: 32);
    private static readonly ArrayPool<byte> BodyPool = ArrayPool<byte>.Create(maxArrayLength: 1 << 22, maxArraysPerBucket: 32);

    private readonly Lock _gate = new();
    private readonly Encoding? _encoding;
    private readonly ArrayPool<byte>? _bodyPool;
    private readonly ArrayPool<char>? _textPool;
    private readonly int _bodyStart;
    private readonly int _bodyEnd;
    private byte[]? _body;
    private char[]? _rented;
    private ReadOnlyMemory<char> _text;
    private bool _decoded;
    private bool _disposed;

    private PageText(ReadOnlyMemory<char> text)
    {
        _text = text;
        _decoded = true;
    }

    private PageText(byte[] body, int start, int end, Encoding encoding, ArrayPool<byte> bodyPool, ArrayPool<char> textPool)
    {
        _body = body;
        _bodyStart = start;
        _bodyEnd = end;
        _encoding = encoding;
        _bodyPool = bodyPool;
        _textPool = textPool;
    }

    /// No text; shared, so disposing it does nothing.
    public static PageText Empty { get; } = new(ReadOnlyMemory<char>.Empty);

    /// The characters, decoded on the first read. Throws <see cref="ObjectDisposedException"/> once the page is disposed.
    public ReadOnlyMemory<char> Memory
    {
        get
        {
            // Written under the lock, _decoded after _text: whoever sees it set sees the text.
            if (Volatile.Read(ref _decoded) && !Volatile.Read(ref _disposed))
            {
                return _text;
            }

            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!_decoded)
                {
                    DecodeBody();
                }

                return _text;
            }
        }
    }

    public ReadOnlySpan<char> Span => Memory.Span;

    public int Length => Memory.Length;

    /// Text that is already a string (a test's page, a fixture): nothing is rented, but it is read under the same rules.
    public static PageText Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(text.AsMemory());
    }

    /// A page of <paramref name="body"/> (a test's, a fixture's), copied into a pooled buffer and decoded as
    /// <see cref="PageDecoder.Detect"/> says when first read.
    public static PageText Decode(ReadOnlySpan<byte> body, string? contentType) =>
        Decode(body, contentType, BodyPool, TextPool);

    internal static PageText Decode(ReadOnlySpan<byte> body, string? contentType, ArrayPool<byte> bodyPool, ArrayPool<char> textPool)
    {
        ArgumentNullException.ThrowIfNull(bodyPool);
        ArgumentNullException.ThrowIfNull(textPool);
        var rented = bodyPool.Rent(Math.Max(body.Length, 1));
        body.CopyTo(rented);
        return Adopt(rented, body.Length, contentType, bodyPool, textPool);
    }

    /// Reads a response body to its end into a pooled buffer. A declared length (one byte more, so the end is seen
    /// without growing) sizes the buffer at once: growing from 64 KB copied a 250 KB page three times and kept a pooled
    /// buffer of each size. The declaration is the server's word, so it sizes the buffer only up to
    /// <paramref name="maxBytes"/>: a hostile `Content-Length` must not make us take gigabytes before a byte arrives.
    internal static async Task<PageText> ReadAsync(
        Stream body, long? declaredLength, long maxBytes, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var initial = declaredLength is > 0 ? (int)Math.Min(declaredLength.Value, Math.Min(maxBytes, int.MaxValue - 1)) + 1 : 64 * 1024;
        var buffer = BodyPool.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = BodyPool.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    BodyPool.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch
        {
            BodyPool.Return(buffer);
            throw;
        }

        // Outside the try: from here the buffer is Adopt's to give back.
        return Adopt(buffer, length, contentType, BodyPool, TextPool);
    }

    private static PageText Adopt(byte[] body, int length, string? contentType, ArrayPool<byte> bodyPool, ArrayPool<char> textPool)
    {
        try
        {
            var encoding = PageDecoder.Detect(body.AsSpan(0, length), contentType, out var bomLength);
            if (bomLength == length)
            {
                bodyPool.Return(body);
                return new(ReadOnlyMemory<char>.Empty);
            }

            return new(body, bomLength, length, encoding, bodyPool, textPool);
        }
        catch
        {
            bodyPool.Return(body);
            throw;
        }
    }

    /// Decodes the beginning of the page into <paramref name="destination"/>, as much as fits, without decoding the
    /// rest (a bot challenge is recognised by its first characters, before the page waits for the lane); the number
    /// of characters written.
    public int CopyStart(Span<char> destination)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_decoded)
            {
                var count = Math.Min(_text.Length, destination.Length);
                _text.Span[..count].CopyTo(destination);
                return count;
            }

            if (destination.IsEmpty)
            {
                return 0;
            }

            // A decoder fills what fits and stops, where Encoding.GetChars would throw for a short destination.
            _encoding!.GetDecoder().Convert(_body.AsSpan(_bodyStart.._bodyEnd), destination, flush: true, out _, out var written, out _);
            return written;
        }
    }

    // Under the lock. The body's buffer goes back as soon as the text exists: the text is all that is read from then on.
    private void DecodeBody()
    {
        var bytes = _body.AsSpan(_bodyStart.._bodyEnd);
        // UTF-8, most pages, never decodes to more characters than it has bytes (an invalid byte becomes one U+FFFD), and
        // most pages are mostly ASCII: the bytes' count spares a counting pass over them. Otherwise the exact count:
        // the maximum would rent twice the buffer for a UTF-16 page and, for some code pages, more still.
        var rented = _textPool!.Rent(_encoding is UTF8Encoding { DecoderFallback.MaxCharCount: <= 1 } ? bytes.Length : _encoding!.GetCharCount(bytes));
        try
        {
            _text = rented.AsMemory(0, _encoding.GetChars(bytes, rented));
        }
        catch
        {
            _textPool.Return(rented);
            throw;
        }

        _rented = rented;
        _bodyPool!.Return(_body!);
        _body = null;
        Volatile.Write(ref _decoded, true);
    }

    /// Gives the buffers back, once however often it is called.
    public void Dispose()
    {
        if (ReferenceEquals(this, Empty))
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _disposed, true);
            if (_body is { } body)
            {
                _bodyPool!.Return(body);
                _body = null;
            }

            if (_rented is { } rented)
            {
                _textPool!.Return(rented);
                _rented = null;
            }
        }
    }

    /// The text as a string (tests, messages); the scanner itself reads <see cref="Span"/> or <see cref="Memory"/>.
    public override string ToString() => new(Span);
}
