using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Sitemaps;

/// Reads one sitemap file from a stream, never holding the whole document: urlset and sitemapindex XML, plain-text
/// sitemaps, RSS 2.0 and Atom feeds. Gzip is recognised by its magic bytes (also gzip inside gzip, as when a `.gz`
/// file is served with `Content-Encoding: gzip`). Element names are matched by local name, so wrong or missing
/// namespaces are read alike. DTDs are refused (no entity can expand), and a file cut off, over a limit or broken
/// part-way keeps what was read and is marked truncated.
public sealed class SitemapParser(SitemapOptions options)
{
    private const int MaxGzipLayers = 2;

    /// Deepest element nesting read. Sitemaps and feeds nest five or six levels (a video's restriction, a feed item's
    /// media group); a file nesting deeper is cut there, before the XML reader's stack of open elements (and the
    /// message it would write about them) grows with the file.
    public const int MaxXmlDepth = 32;

    // An element name as it appears in an error.
    private const int MaxNameInError = 40;

    /// Files up to this size that have arrived whole by the time their format is known (most sitemaps) are read from
    /// memory by a synchronous reader: the asynchronous one allocates 64 KB of bytes and 128 KB of characters (large
    /// object heap) per file, whatever its size. The same as that reader's buffer, so no more is ever held.
    internal const int MaxWholeFileBytes = 64 * 1024;

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CheckCharacters = false,
        MaxCharactersFromEntities = 1024,
        CloseInput = false,
    };

    private static readonly XmlReaderSettings WholeFileXmlSettings = CopyOf(XmlSettings, async: false);

    /// Reads <paramref name="body"/> to its end or a limit; URLs go to <paramref name="handler"/> as they are read.
    /// <paramref name="maxUrls"/> is the URL budget for this file (at most the per-file limit).
    public async Task<SitemapParseResult> ParseAsync(
        Stream body, Uri fileUrl, ISitemapUrlHandler handler, int maxUrls, CancellationToken cancellationToken)
    {
        var reading = new Reading(fileUrl, handler, Math.Min(maxUrls, options.MaxUrlsPerFile), options.MaxUrlsPerFile);
        Stream stream = new PeekStream(body);
        CappedStream? capped = null;
        try
        {
            for (var layer = 0; ; layer++)
            {
                var head = await ((PeekStream)stream).PeekAsync(2, cancellationToken);
                if (head.Length < 2 || head.Span[0] != 0x1f || head.Span[1] != 0x8b)
                {
                    break;
                }

                if (layer == MaxGzipLayers)
                {
                    return reading.Fail(SitemapKind.Unknown, "More than two layers of gzip; not read.");
                }

                reading.Gzipped = true;
                stream = new PeekStream(new GZipStream(stream, CompressionMode.Decompress));
            }

            capped = new CappedStream(stream, options.MaxBytesPerFile, CancellationToken.None);
            var content = new PeekStream(capped, cancellationToken);
            // Enough of the start to see its first visible character, without waiting on a slow server for more.
            var start = await content.PeekAsync(1, cancellationToken);
            while (IsBlank(start.Span) && start.Length > 0 && start.Length < 4096)
            {
                var more = await content.PeekAsync(start.Length + 1, cancellationToken);
                if (more.Length == start.Length)
                {
                    break;
                }

                start = more;
            }

            if (start.Length == 0 || IsBlank(start.Span))
            {
                return reading.Fail(SitemapKind.Unknown, "The file is empty.");
            }

            if (LooksLikeHtml(start.Span))
            {
                return reading.Fail(SitemapKind.Unknown, "Not a sitemap: an HTML page.");
            }

            if (LooksLikeXml(start.Span))
            {
                // A byte-order mark or blank lines before `<?xml` are common and make XmlReader refuse the declaration.
                var noise = LeadingNoise(start.Span);
                if (content.TryBufferToEnd((int)Math.Min(MaxWholeFileBytes, options.MaxBytesPerFile)))
                {
                    var whole = content.Buffered;
                    using var memory = new MemoryStream(whole.Array!, whole.Offset + noise, whole.Count - noise, writable: false);
                    using var reader = XmlReader.Create(memory, WholeFileXmlSettings);
                    await ReadXmlAsync(reader, reading, cancellationToken);
                }
                else
                {
                    await SkipAsync(content, noise, cancellationToken);
                    using var reader = XmlReader.Create(content, XmlSettings);
                    await ReadXmlAsync(reader, reading, cancellationToken);
                }
            }
            else
            {
                await ReadTextAsync(content, reading, cancellationToken);
            }
        }
        catch (ResponseTooLargeException e)
        {
            reading.Stop($"The file is larger than {e.Limit.ToString(CultureInfo.InvariantCulture)} bytes uncompressed; the rest was not read.");
        }
        // The parser's own message is never stored: it quotes the document (an unclosed file lists every open element).
        catch (XmlException e) when (reading.Kind != SitemapKind.Unknown)
        {
            reading.Stop(e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                ? "A DTD or entity declaration was refused; the rest was not read."
                : $"The XML is broken or cut off at line {Position(e)}; the entries before that point were kept.");
        }
        catch (XmlException e)
        {
            reading.Stop(e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                ? "The file declares a DTD, which sitemaps may not; refused."
                : $"Not a sitemap: the XML could not be read (broken at line {Position(e)}).");
        }
        catch (InvalidDataException)
        {
            reading.Stop("The gzip data is corrupt or cut off; the entries before that point were kept.");
        }
        catch (IOException)
        {
            reading.Stop("The download broke off; the entries before that point were kept.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reading.Stop("Reading was stopped before the end of the file.");
            reading.Cancelled = true;
        }

        return reading.Result(Math.Min(capped?.BytesRead ?? 0, options.MaxBytesPerFile));
    }

    private static string Position(XmlException e) =>
        $"{e.LineNumber.ToString(CultureInfo.InvariantCulture)}, position {e.LinePosition.ToString(CultureInfo.InvariantCulture)}";

    private static string Name(string name) => name.Length <= MaxNameInError ? name : name[..MaxNameInError] + "…";

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF or 0xFE or 0xFF or 0))
            {
                return false;
            }
        }

        return true;
    }

    private static int LeadingNoise(ReadOnlySpan<byte> bytes)
    {
        var skip = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (skip == 0 && bytes.Length > 0 && bytes[0] is 0xFE or 0xFF)
        {
            return 0;
        }

        while (skip < bytes.Length && bytes[skip] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            skip++;
        }

        return skip;
    }

    private static async Task SkipAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Max(count, 1)];
        var skipped = 0;
        while (skipped < count)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, count - skipped), cancellationToken);
            if (read == 0)
            {
                return;
            }

            skipped += read;
        }
    }

    private static bool LooksLikeHtml(ReadOnlySpan<byte> bytes)
    {
        var text = System.Text.Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 256)]).TrimStart('\uFEFF', '?', ' ', '\t', '\r', '\n');
        return text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    // The first visible character is '<' (after a UTF-8 or UTF-16 byte-order mark and whitespace).
    private static bool LooksLikeXml(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0 or 0xFE or 0xFF)
            {
                continue;
            }

            return b == (byte)'<';
        }

        return false;
    }

    private static XmlReaderSettings CopyOf(XmlReaderSettings settings, bool async)
    {
        var copy = settings.Clone();
        copy.Async = async;
        return copy;
    }

    // One loop for both readers: the synchronous one (a whole file in memory) refuses the asynchronous calls.
    private static ValueTask<bool> ReadAsync(XmlReader reader, bool async) =>
        async ? new(reader.ReadAsync()) : new(reader.Read());

    private static async Task ReadXmlAsync(XmlReader reader, Reading reading, CancellationToken cancellationToken)
    {
        // Asked once: the reader's Settings is a new copy at each call (a sitemap's every node asked it, ~200 copies a
        // domain in the load run).
        var async = reader.Settings!.Async;
        if ((async ? await reader.MoveToContentAsync() : reader.MoveToContent()) != XmlNodeType.Element)
        {
            reading.Stop("Not a sitemap: no root element.");
            return;
        }

        var (kind, entryName) = reader.LocalName switch
        {
            "urlset" => (SitemapKind.UrlSet, "url"),
            "sitemapindex" => (SitemapKind.Index, "sitemap"),
            "rss" or "RDF" => (SitemapKind.Rss, "item"),
            "feed" => (SitemapKind.Atom, "entry"),
            _ => (SitemapKind.Unknown, ""),
        };
        reading.Kind = kind;
        if (kind == SitemapKind.Unknown)
        {
            reading.Stop($"Not a sitemap: the root element is <{Name(reader.LocalName)}>.");
            return;
        }

        var entry = new EntryBuilder();
        var entryDepth = -1;
        var field = Field.None;
        var fieldDepth = -1;
        while (await ReadAsync(reader, async))
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var depth = reader.Depth;
                    if (depth >= MaxXmlDepth)
                    {
                        reading.Stop($"The XML nests deeper than {MaxXmlDepth.ToString(CultureInfo.InvariantCulture)} levels; the entries before that point were kept.");
                        return;
                    }

                    if (entryDepth < 0)
                    {
                        if (reader.LocalName == entryName)
                        {
                            entryDepth = depth;
                            entry.Reset();
                            if (reader.IsEmptyElement)
                            {
                                entryDepth = -1;
                                reading.InvalidEntries++;
                            }
                        }

                        break;
                    }

                    if (field != Field.None)
                    {
                        break;
                    }

                    field = depth == entryDepth + 1 ? FieldOf(kind, reader, entry) : Field.None;
                    if (field != Field.None)
                    {
                        fieldDepth = depth;
                        if (reader.IsEmptyElement)
                        {
                            field = Field.None;
                        }
                    }

                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                    if (field != Field.None)
                    {
                        entry.Append(field, reader.Value);
                    }

                    break;
                case XmlNodeType.EndElement:
                    if (field != Field.None && reader.Depth == fieldDepth)
                    {
                        field = Field.None;
                    }
                    else if (reader.Depth == entryDepth)
                    {
                        entryDepth = -1;
                        if (!await reading.AddAsync(entry, cancellationToken))
                        {
                            return;
                        }
                    }

                    break;
            }
        }
    }

    private static Field FieldOf(SitemapKind kind, XmlReader reader, EntryBuilder entry)
    {
        var name = reader.LocalName;
        switch (kind)
        {
            case SitemapKind.UrlSet:
                switch (name)
                {
                    case "loc":
                        return Field.Loc;
                    case "lastmod":
                        return Field.Lastmod;
                    case "changefreq":
                        return Field.ChangeFreq;
                    case "priority":
                        return Field.Priority;
                    case "image":
                        entry.Images++;
                        return Field.None;
                    case "video":
                        entry.Videos++;
                        return Field.None;
                    case "news":
                        entry.News++;
                        return Field.None;
                    case "link" when reader.GetAttribute("hreflang") is not null:
                        entry.Alternates++;
                        return Field.None;
                    default:
                        return Field.None;
                }

            case SitemapKind.Index:
                return name switch
                {
                    "loc" => Field.Loc,
                    "lastmod" => Field.Lastmod,
                    _ => Field.None,
                };
            case SitemapKind.Rss:
                return name switch
                {
                    "link" => Field.Loc,
                    "pubDate" or "date" => Field.Lastmod,
                    _ => Field.None,
                };
            case SitemapKind.Atom:
                if (name == "link")
                {
                    var rel = reader.GetAttribute("rel");
                    if (entry.Loc.Length == 0 && (rel is null || rel == "alternate"))
                    {
                        entry.Append(Field.Loc, reader.GetAttribute("href") ?? "");
                    }

                    return Field.None;
                }

                return name is "updated" || (name is "published" && entry.Lastmod.Length == 0) ? Field.Lastmod : Field.None;
            default:
                return Field.None;
        }
    }

    private static async Task ReadTextAsync(Stream stream, Reading reading, CancellationToken cancellationToken)
    {
        reading.Kind = SitemapKind.Text;
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024);
        var buffer = new char[8 * 1024];
        var line = new StringBuilder();
        var overlong = false;
        var entry = new EntryBuilder();
        int read;
        while ((read = await text.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c is '\n' or '\r')
                {
                    if (!await EndLineAsync())
                    {
                        return;
                    }

                    continue;
                }

                if (line.Length >= SitemapValues.MaxUrlLength + 2)
                {
                    overlong = true;
                    continue;
                }

                line.Append(c);
            }
        }

        if (await EndLineAsync() && reading.UrlCount == 0 && reading.InvalidEntries > 0)
        {
            reading.Kind = SitemapKind.Unknown;
            reading.Stop("Not a sitemap: no line is a URL.");
        }

        async Task<bool> EndLineAsync()
        {
            var wasOverlong = overlong;
            overlong = false;
            if (line.Length == 0 && !wasOverlong)
            {
                return true;
            }

            entry.Reset();
            entry.Append(Field.Loc, wasOverlong ? "" : line.ToString());
            line.Clear();
            if (entry.Loc.Length == 0 && !wasOverlong)
            {
                return true;
            }

            return await reading.AddAsync(entry, cancellationToken);
        }
    }

    private enum Field
    {
        None,
        Loc,
        Lastmod,
        ChangeFreq,
        Priority,
    }

    // The text of one entry as it arrives (a value may come in several text nodes).
    private sealed class EntryBuilder
    {
        public string Loc { get; private set; } = "";
        public string Lastmod { get; private set; } = "";
        public string ChangeFreq { get; private set; } = "";
        public string Priority { get; private set; } = "";
        public int Images { get; set; }
        public int Videos { get; set; }
        public int News { get; set; }
        public int Alternates { get; set; }

        public void Reset()
        {
            Loc = Lastmod = ChangeFreq = Priority = "";
            Images = Videos = News = Alternates = 0;
        }

        public void Append(Field field, string value)
        {
            switch (field)
            {
                case Field.Loc:
                    Loc = Loc.Length == 0 ? value : Loc + value;
                    break;
                case Field.Lastmod:
                    Lastmod = Lastmod.Length == 0 ? value : Lastmod + value;
                    break;
                case Field.ChangeFreq:
                    ChangeFreq = ChangeFreq.Length == 0 ? value : ChangeFreq + value;
                    break;
                case Field.Priority:
                    Priority = Priority.Length == 0 ? value : Priority + value;
                    break;
            }
        }
    }

    private sealed class Reading(Uri fileUrl, ISitemapUrlHandler handler, int maxUrls, int maxChildren)
    {
        private readonly List<SitemapReference> _sitemaps = [];
        private DateTimeOffset? _newest;
        private bool _truncated;
        private string? _error;

        public SitemapKind Kind { get; set; }
        public bool Gzipped { get; set; }
        public bool Cancelled { get; set; }
        public int UrlCount { get; private set; }
        public int InvalidEntries { get; set; }

        public async ValueTask<bool> AddAsync(EntryBuilder entry, CancellationToken cancellationToken)
        {
            var url = SitemapValues.ParseUrl(entry.Loc, fileUrl, allowRelative: Kind != SitemapKind.Text);
            if (url is null)
            {
                InvalidEntries++;
                return true;
            }

            var lastmod = SitemapValues.ParseDate(entry.Lastmod);
            if (lastmod > _newest || _newest is null)
            {
                _newest = lastmod ?? _newest;
            }

            if (Kind == SitemapKind.Index)
            {
                if (_sitemaps.Count >= maxChildren)
                {
                    Stop($"The index lists more than {maxChildren.ToString(CultureInfo.InvariantCulture)} sitemaps; the rest were not read.");
                    return false;
                }

                _sitemaps.Add(new SitemapReference(url, lastmod));
                return true;
            }

            if (UrlCount >= maxUrls)
            {
                Stop($"URL limit of {maxUrls.ToString(CultureInfo.InvariantCulture)} reached; the rest of the file was not read.");
                return false;
            }

            UrlCount++;
            await handler.OnUrlAsync(new SitemapUrlEntry
            {
                Loc = url.AbsoluteUri,
                Lastmod = lastmod,
                ChangeFreq = SitemapValues.ParseChangeFreq(entry.ChangeFreq),
                Priority = SitemapValues.ParsePriority(entry.Priority),
                Images = entry.Images,
                Videos = entry.Videos,
                News = entry.News,
                Alternates = entry.Alternates,
            }, cancellationToken);
            return true;
        }

        public void Stop(string error)
        {
            _truncated = Kind != SitemapKind.Unknown;
            _error ??= error;
        }

        public SitemapParseResult Fail(SitemapKind kind, string error)
        {
            Kind = kind;
            Stop(error);
            return Result(0);
        }

        public SitemapParseResult Result(long bytes) => new()
        {
            Kind = Kind,
            UrlCount = UrlCount,
            InvalidEntries = InvalidEntries,
            Sitemaps = _sitemaps,
            Gzipped = Gzipped,
            Bytes = bytes,
            Truncated = _truncated,
            Error = _error,
            NewestLastmod = _newest,
            Cancelled = Cancelled,
        };
    }
}
