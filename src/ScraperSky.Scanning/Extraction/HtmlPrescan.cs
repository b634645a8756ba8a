using System.Buffers;
using System.Text;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Extraction;

/// A cheap linear pass over the page source before AngleSharp sees it, for two reasons.
///
/// Depth: the HTML tree builder checks its stack of open elements on every tag, so a page nesting elements a hundred
/// thousand deep costs minutes of parsing. Real pages stay below a few hundred levels; the source is cut where the
/// estimated depth passes <see cref="MaxDepth"/>, keeping everything before it. The estimate follows the builder's
/// stack (<see cref="OpenElements"/>): an end tag lowers it only when it closes an open element, so stray end tags
/// cannot hold it down, and those the builder would ignore after walking its whole stack are dropped from the input.
/// `/>` closes an element only where the builder says so (void elements, and inside `svg` or `math`).
///
/// Speed: inline scripts and styles are often a third of a page (framework state, bundled CSS) and the tokenizer
/// walks them character by character only for us to ignore them. Their bodies are lifted out here (scripts are kept
/// for the fingerprint `scripts` patterns) and the parser gets empty elements, which still count in `performance`.
/// JSON-LD blocks stay, since the extractor reads them from the document.
///
/// Nothing here copies a page into a new string: the parse input is assembled in a pooled buffer (a string of a
/// 250 KB page would go to the large object heap, and those collections cost more than the copying), and the
/// scripts are slices of the page.
internal static class HtmlPrescan
{
    public const int MaxDepth = 1024;

    /// End tags in a row (no start tag between) kept when they close nothing we track: a real page closes at most
    /// its depth at once, and the tree builder walks its stack for each one it ignores.
    public const int MaxEndTagRun = 2048;

    /// The parser's input, valid until disposed, and the inline scripts (capped) as slices of the page.
    public sealed class Result(ReadOnlyMemory<char> parseInput, char[]? rented, IReadOnlyList<ReadOnlyMemory<char>> inlineScripts,
        bool unbuiltTags) : IDisposable
    {
        private char[]? _rented = rented;

        public ReadOnlyMemory<char> ParseInput { get; } = parseInput;

        public IReadOnlyList<ReadOnlyMemory<char>> InlineScripts { get; } = inlineScripts;

        /// Whether the input has a start tag <see cref="PageParser"/> gives up on that pages use most (math, template,
        /// select, frameset), as the tags went by here: a select at the end of a page would otherwise cost most of a
        /// wasted parse. One it meets that this pass did not see it gives up on all the same.
        public bool UnbuiltTags { get; } = unbuiltTags;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _rented, null) is { } buffer)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }

    public static Result Prepare(ReadOnlyMemory<char> html, CpuBudget? budget = null)
    {
        var output = new Output(html.Length);
        try
        {
            return Prepare(html, ref output, budget);
        }
        catch
        {
            output.Return();
            throw;
        }
    }

    private static Result Prepare(ReadOnlyMemory<char> source, ref Output output, CpuBudget? budget)
    {
        var html = source.Span;
        var scripts = new List<ReadOnlyMemory<char>>();
        var copiedUpTo = 0;
        var open = new OpenElements();
        var endRun = 0;
        var unbuilt = false;
        var i = html.IndexOf('<');
        while (i >= 0 && i < html.Length - 1)
        {
            budget?.Check(every: 4096);
            var next = html[i + 1];
            if (next == '!')
            {
                i = SkipPast(html, i, html[i..].StartsWith("<!--") ? "-->" : ">");
            }
            else if (next == '/' || char.IsAsciiLetter(next))
            {
                var closing = next == '/';
                var nameStart = closing ? i + 2 : i + 1;
                var nameEnd = nameStart;
                while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
                {
                    nameEnd++;
                }

                var tagEnd = IndexOf(html, '>', nameEnd);
                if (tagEnd < 0)
                {
                    break;
                }

                var name = html.Slice(nameStart, nameEnd - nameStart);
                if (closing)
                {
                    var counts = Counts(name);
                    if (!(counts && open.Close(name))
                        && ((counts && open.IsDroppable(name)) || (++endRun > MaxEndTagRun && !MakesAnElement(name))))
                    {
                        output.Append(html.Slice(copiedUpTo, i - copiedUpTo));
                        copiedUpTo = tagEnd + 1;
                    }

                    i = tagEnd + 1;
                }
                else if (RawTextEndTag(name) is { } endTagSearch)
                {
                    endRun = 0;
                    var endTag = html[(tagEnd + 1)..].IndexOfAny(endTagSearch);
                    endTag = endTag < 0 ? -1 : endTag + tagEnd + 1;
                    var bodyEnd = endTag < 0 ? html.Length : endTag;
                    var isScript = name.Equals("script", StringComparison.OrdinalIgnoreCase);
                    var isStyle = name.Equals("style", StringComparison.OrdinalIgnoreCase);
                    var startTag = html.Slice(i, tagEnd - i);
                    if ((isScript && !OrdinalIgnoreCase.Contains(startTag, "ld+json")) || isStyle)
                    {
                        if (isScript && bodyEnd > tagEnd + 1)
                        {
                            // The matcher reads no more of a script than this; a framework's state blob can be 100 KB.
                            scripts.Add(source.Slice(tagEnd + 1, Math.Min(bodyEnd - tagEnd - 1, FingerprintMatcher.MaxScriptChars)));
                        }

                        output.Append(html.Slice(copiedUpTo, tagEnd + 1 - copiedUpTo));
                        copiedUpTo = bodyEnd;
                    }

                    i = endTag < 0 ? -1 : endTag + 2;
                }
                else
                {
                    endRun = 0;
                    unbuilt = unbuilt || IsUnbuilt(name);
                    if (Counts(name) && !(html[tagEnd - 1] == '/' && open.InForeignContent))
                    {
                        open.Open(name);
                        if (open.Depth > MaxDepth)
                        {
                            return Finish(source, ref output, copiedUpTo, i, scripts, unbuilt);
                        }
                    }

                    i = tagEnd + 1;
                }
            }
            else
            {
                i++;
            }

            i = i < 0 || i >= html.Length ? -1 : IndexOf(html, '<', i);
        }

        return Finish(source, ref output, copiedUpTo, html.Length, scripts, unbuilt);
    }

    private static Result Finish(ReadOnlyMemory<char> html, ref Output output, int copiedUpTo, int end, List<ReadOnlyMemory<char>> scripts,
        bool unbuilt)
    {
        if (!output.Started)
        {
            return new Result(html[..end], null, scripts, unbuilt);
        }

        if (end > copiedUpTo)
        {
            output.Append(html.Span[copiedUpTo..end]);
        }

        return new Result(output.Written, output.Buffer, scripts, unbuilt);
    }

    /// The parse input being assembled, in a pooled buffer of the page's size (never outgrown: it only ever holds a
    /// subset of the page); the result hands the buffer back to the pool when disposed.
    private struct Output(int pageLength)
    {
        private char[]? _buffer;
        private int _length;

        public readonly bool Started => _buffer is not null;

        public readonly char[]? Buffer => _buffer;

        public readonly ReadOnlyMemory<char> Written => _buffer.AsMemory(0, _length);

        public void Append(ReadOnlySpan<char> chars)
        {
            _buffer ??= ArrayPool<char>.Shared.Rent(pageLength);
            chars.CopyTo(_buffer.AsSpan(_length));
            _length += chars.Length;
        }

        public void Return()
        {
            if (_buffer is not null)
            {
                ArrayPool<char>.Shared.Return(_buffer);
                _buffer = null;
            }
        }
    }

    private static int SkipPast(ReadOnlySpan<char> html, int from, string marker)
    {
        var end = html[(from + 1)..].IndexOf(marker, StringComparison.Ordinal);
        return end < 0 ? -1 : end + from + 1 + marker.Length;
    }

    private static int IndexOf(ReadOnlySpan<char> html, char value, int from)
    {
        // A tag often starts right where the last one ended, and an end tag's `>` follows its name: no search for those.
        if (from < html.Length && html[from] == value)
        {
            return from;
        }

        var found = html[from..].IndexOf(value);
        return found < 0 ? -1 : found + from;
    }

    // The raw-text elements (noscript is not one when scripting is off, as here: its content is parsed as markup),
    // each with its end tag as a SearchValues: string.IndexOf(..., OrdinalIgnoreCase) crawls character by character
    // over non-ASCII text under invariant globalization, and a script body can be 100 KB of it.
    private static readonly (string Name, SearchValues<string> EndTag)[] RawTextElements =
        [.. new[] { "script", "style", "textarea", "title", "xmp" }
            .Select(n => (n, SearchValues.Create(["</" + n], StringComparison.OrdinalIgnoreCase)))];

    /// The search for the end tag of raw-text element <paramref name="name"/>, or null for any other element.
    private static SearchValues<string>? RawTextEndTag(ReadOnlySpan<char> name)
    {
        // Most tags are none of them, and their first letter says so.
        if ((name[0] | 0x20) is not ('s' or 't' or 'x'))
        {
            return null;
        }

        foreach (var (rawText, endTag) in RawTextElements)
        {
            if (name.Equals(rawText, StringComparison.OrdinalIgnoreCase))
            {
                return endTag;
            }
        }

        return null;
    }

    /// Whether <paramref name="name"/> is one of the start tags <see cref="Result.UnbuiltTags"/> tells; most tags' first
    /// letter says they are not.
    private static bool IsUnbuilt(ReadOnlySpan<char> name) =>
        (name[0] | 0x20) is 'm' or 't' or 's' or 'f'
        && (name.Equals("select", StringComparison.OrdinalIgnoreCase) || name.Equals("template", StringComparison.OrdinalIgnoreCase)
            || name.Equals("math", StringComparison.OrdinalIgnoreCase) || name.Equals("frameset", StringComparison.OrdinalIgnoreCase));

    /// `</p>` and `</br>` without an open element make one (and so reach the parser's element callback).
    private static bool MakesAnElement(ReadOnlySpan<char> name) =>
        name.Equals("p", StringComparison.OrdinalIgnoreCase) || name.Equals("br", StringComparison.OrdinalIgnoreCase);

    /// Void elements and those whose end tag may be left out (a list of unclosed `<li>` is flat, not deep) do not count.
    private static bool Counts(ReadOnlySpan<char> name)
    {
        if (name.Length > 16)
        {
            return true;
        }

        // Names are ASCII letters and digits, and most are written in lower case already.
        Span<char> lower = stackalloc char[name.Length];
        scoped var key = name;
        if (name.ContainsAnyInRange('A', 'Z'))
        {
            Ascii.ToLower(name, lower, out _);
            key = lower;
        }

        return key switch
        {
            "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "input" or "link" or "meta" or "source"
                or "track" or "wbr" or "param" or "keygen" => false,
            "p" or "li" or "dt" or "dd" or "option" or "optgroup" or "tr" or "td" or "th" or "thead" or "tbody" or "tfoot"
                or "colgroup" or "rb" or "rt" or "rp" or "rtc" or "html" or "head" or "body" => false,
            _ => true,
        };
    }
}
