using System.Buffers;
using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using AngleSharp.Common;
using AngleSharp.Dom;
using AngleSharp.Html;
using AngleSharp.Text;

namespace ScraperSky.Scanning.Extraction;

/// The parse of the pages most sites serve, without AngleSharp: a tokenizer that skips text to the next `<` in one
/// vectorised search, and the HTML5 tree construction for what such pages use (implied html, head and body, head
/// elements, paragraphs, list items and headings closed by what follows them, void, raw text and RCDATA elements,
/// formatting elements closed in order or reopened, comments, a doctype, inline SVG drawings, tables of rows and
/// cells). AngleSharp's tokenizer and tree builder cost twice as much on the same page, most of it in per-character
/// state machines and token objects.
///
/// It gives up (and <see cref="PageTree.Parse"/> lets AngleSharp parse the page) the moment the page needs anything
/// it does not build exactly as AngleSharp does: anything a table would foster-parent, captions and column groups, a
/// table after a doctype other than `<!DOCTYPE html>`, templates, select, frames, MathML, SVG beyond drawings (HTML
/// tags inside it, tags in its title, desc or foreignObject, namespaced attributes, its scripts), misnested formatting
/// (the adoption agency), a NUL, a character reference without its semicolon, a script with `<!--`, a comment or a raw
/// text element left open, CDATA and other bogus comments. End tags that close nothing are ignored, as there.
/// PageTreeTests compare what it builds with AngleSharp's DOM on every fixture page (all of them take this path), the
/// benchmark corpus (all of it) and generated tag soup (either path).
internal ref struct PageParser
{
    private static readonly bool CommentNodes = true;

    // Each search that consumes characters also stops at a NUL (the parser gives up on one), so that no pass of its own
    // looks for NULs in the whole page first.
    private static readonly SearchValues<char> TagNameEnds = SearchValues.Create("\t\n\f\r />\0");
    private static readonly SearchValues<char> AttributeNameEnds = SearchValues.Create("\t\n\f\r />=\"'<\0");
    private static readonly SearchValues<char> UnquotedValueStops = SearchValues.Create("\t\n\f\r >&\0");
    private static readonly SearchValues<char> ReferenceOrReturn = SearchValues.Create("&\r\0");
    private static readonly SearchValues<char> DoubleQuotedStops = SearchValues.Create("\"&\r\0");
    private static readonly SearchValues<char> SingleQuotedStops = SearchValues.Create("'&\r\0");
    private static readonly SearchValues<char> Spaces = SearchValues.Create("\t\n\f\r ");

    // AngleSharp's SVG names in their case (HtmlForeignExtensions); the tokenizer lowered them.
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SvgTagNames = CaseTable(
        "altGlyph", "altGlyphDef", "altGlyphItem", "animateColor", "animateMotion", "animateTransform", "clipPath", "feBlend",
        "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
        "feDistantLight", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge",
        "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
        "feTurbulence", "foreignObject", "glyphRef", "linearGradient", "radialGradient", "textPath");

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SvgAttributeNames = CaseTable(
        "attributeName", "attributeType", "baseFrequency", "baseProfile", "calcMode", "clipPathUnits", "contentScriptType",
        "contentStyleType", "diffuseConstant", "edgeMode", "externalResourcesRequired", "filterRes", "filterUnits", "glyphRef",
        "gradientTransform", "gradientUnits", "kernelMatrix", "kernelUnitLength", "keyPoints", "keySplines", "keyTimes",
        "lengthAdjust", "limitingConeAngle", "markerHeight", "markerUnits", "markerWidth", "maskContentUnits", "maskUnits",
        "numOctaves", "pathLength", "patternContentUnits", "patternTransform", "patternUnits", "pointsAtX", "pointsAtY",
        "pointsAtZ", "preserveAlpha", "preserveAspectRatio", "primitiveUnits", "refX", "refY", "repeatCount", "repeatDur",
        "requiredExtensions", "requiredFeatures", "specularConstant", "specularExponent", "spreadMethod", "startOffset",
        "stdDeviation", "stitchTiles", "surfaceScale", "systemLanguage", "tableValues", "targetX", "targetY", "textLength",
        "viewBox", "viewTarget", "xChannelSelector", "yChannelSelector", "zoomAndPan");

    private static readonly Names TagNameTable = new(typeof(TagNames));
    private static readonly Names AttributeNameTable = new(typeof(AttributeNames));

    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly ReadOnlySpan<char> _s;
    private readonly PageTree.Document _document;
    private readonly Scratch _scratch;
    private int _pos;
    private Mode _mode;
    private PageTree.Element? _form;
    private bool _skipNewline;
    private bool _selfClosing;
    private DoctypeKind _doctype;

    private PageParser(ReadOnlySpan<char> html, PageTree.Document document, Scratch scratch)
    {
        _s = html;
        _document = document;
        _scratch = scratch;
    }

    private enum Mode
    {
        Initial,
        BeforeHtml,
        BeforeHead,
        InHead,
        InHeadNoscript,
        AfterHead,
        InBody,
        AfterBody,
        AfterAfterBody,
        InTable,
        InTableBody,
        InRow,
        InCell,
    }

    /// What the doctype says of quirks, as far as tables need it: none (quirks), `<!DOCTYPE html>` (no quirks), or
    /// another (the parser gives up on a table).
    private enum DoctypeKind
    {
        None,
        Html,
        Other,
    }

    /// The tree of <paramref name="html"/>, or null if the page needs what only AngleSharp's tree builder does. The
    /// prescan tells the pages it gives up on most before the parse (<see cref="HtmlPrescan.Result.UnbuiltTags"/>).
    public static PageTree.Document? TryParse(ReadOnlyMemory<char> html)
    {
        var scratch = t_scratch ??= new Scratch();
        var document = new PageTree.Document(new TextSource(new ReadOnlyMemoryTextSource(html)));
        document.Store.Source = html;
        var built = false;
        try
        {
            new PageParser(html.Span, document, scratch).Run();
            built = true;
            return document;
        }
        catch (GiveUp)
        {
            return null;
        }
        finally
        {
            scratch.Clear();
            if (!built)
            {
                document.Dispose();
            }
        }
    }

    private readonly PageTree.Element Current => _scratch.Stack[^1];

    private void Run()
    {
        var s = _s;
        while (_pos < s.Length)
        {
            // A tag often starts right where the last one ended: no search for it.
            if (s[_pos] == '<')
            {
                Markup();
                continue;
            }

            var lt = s[_pos..].IndexOf('<');
            var end = lt < 0 ? s.Length : _pos + lt;
            if (end > _pos)
            {
                Text(s[_pos..end], references: true, into: null);
            }

            _pos = end;
            if (lt < 0)
            {
                break;
            }

            Markup();
        }

        while (_mode is not (Mode.InBody or Mode.AfterBody or Mode.AfterAfterBody or Mode.InTable or Mode.InTableBody or Mode.InRow or Mode.InCell))
        {
            Advance();
        }
    }

    // ---- Tokenizer ----

    /// Text up to the next tag, with CR and CRLF made LF (the input stream's preprocessing) and, where
    /// <paramref name="references"/>, character references decoded; given to the tree builder or added to
    /// <paramref name="into"/> (raw text and RCDATA elements).
    private void Text(ReadOnlySpan<char> content, bool references, PageTree.Element? into)
    {
        while (!content.IsEmpty)
        {
            var k = references ? content.IndexOfAny(ReferenceOrReturn) : content.IndexOfAny('\r', '\0');
            if (k < 0)
            {
                Emit(content, into);
                return;
            }

            if (content[k] == '\0')
            {
                throw new GiveUp();
            }

            if (k > 0)
            {
                Emit(content[..k], into);
            }

            if (content[k] == '\r')
            {
                Emit("\n", into);
                k++;
                if (k < content.Length && content[k] == '\n')
                {
                    k++;
                }

                content = content[k..];
                continue;
            }

            var used = Reference(content[k..], '\0', out var decoded);
            if (_skipNewline && used > 1)
            {
                throw new GiveUp();
            }

            Emit(decoded, into);
            content = content[(k + used)..];
        }
    }

    private void Emit(ReadOnlySpan<char> text, PageTree.Element? into)
    {
        if (into is null)
        {
            Characters(text);
        }
        else
        {
            into.AppendText(text);
        }
    }

    /// A character reference at the start of <paramref name="s"/> (at its `&`): how many characters it takes and what
    /// they stand for (the `&` alone when they are no reference). Gives up on references AngleSharp resolves without
    /// their semicolon and on numbers it would replace or reject.
    private int Reference(ReadOnlySpan<char> s, char allowed, out ReadOnlySpan<char> decoded)
    {
        decoded = s[..1];
        if (s.Length < 2)
        {
            return 1;
        }

        var c = s[1];
        if (c is ' ' or '\t' or '\n' or '\f' or '\r' or '<' or '&' || c == allowed)
        {
            return 1;
        }

        if (c == '#')
        {
            var i = 2;
            var hex = i < s.Length && s[i] is 'x' or 'X';
            if (hex)
            {
                i++;
            }

            var start = i;
            var value = 0;
            while (i < s.Length && (hex ? char.IsAsciiHexDigit(s[i]) : char.IsAsciiDigit(s[i])))
            {
                if (i - start >= 7)
                {
                    throw new GiveUp();
                }

                value = (value * (hex ? 16 : 10)) + (s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
                i++;
            }

            if (i == start)
            {
                return 1;
            }

            if (i >= s.Length || s[i] != ';' || !Plain(value))
            {
                throw new GiveUp();
            }

            var length = new Rune(value).EncodeToUtf16(_scratch.Entity);
            decoded = _scratch.Entity.AsSpan(0, length);
            return i + 1;
        }

        var n = 1;
        while (n < s.Length && char.IsAsciiLetterOrDigit(s[n]))
        {
            n++;
        }

        var name = s[1..n];
        if (name.IsEmpty)
        {
            return 1;
        }

        if (name.Length >= 31)
        {
            throw new GiveUp();
        }

        if (n < s.Length && s[n] == ';' && _scratch.Symbol(s[1..(n + 1)]) is { } symbol)
        {
            decoded = symbol;
            return n + 1;
        }

        for (var length = name.Length; length > 0; length--)
        {
            if (_scratch.Symbol(name[..length]) is not null)
            {
                throw new GiveUp();
            }
        }

        return 1;
    }

    // A code point a numeric reference gives as it is (no replacement, no parse error that could change it).
    private static bool Plain(int value) =>
        value is 9 or 10 or (>= 0x20 and < 0x7F) or (>= 0xA0 and < 0xD800) or (>= 0xE000 and < 0xFDD0) or (> 0xFDEF and < 0xFFFE)
        || (value is >= 0x10000 and <= 0x10FFFF && (value & 0xFFFE) != 0xFFFE);

    /// At a `<`: a tag, a comment, a doctype, or a `<` that is text.
    private void Markup()
    {
        var s = _s;
        var p = _pos + 1;
        if (p < s.Length)
        {
            var c = s[p];
            if (char.IsAsciiLetter(c))
            {
                _pos = p;
                var name = Tag(end: false);
                StartTag(name);
                return;
            }

            if (c == '/')
            {
                if (p + 1 < s.Length && char.IsAsciiLetter(s[p + 1]))
                {
                    _pos = p + 1;
                    EndTag(Tag(end: true));
                    return;
                }

                throw new GiveUp();
            }

            if (c == '!')
            {
                if (s[_pos..].StartsWith("<!--"))
                {
                    Comment();
                    return;
                }

                if (s[_pos..].StartsWith(DoctypeKeywordText, StringComparison.OrdinalIgnoreCase))
                {
                    Doctype();
                    return;
                }

                throw new GiveUp();
            }

            if (c == '?')
            {
                throw new GiveUp();
            }
        }

        Characters(s.Slice(_pos, 1));
        _pos++;
    }

    private const string DoctypeKeywordText = "<!doctype";

    /// A tag's name and attributes (kept in the scratch for the tree builder; an end tag's are dropped), from its name
    /// on; the position ends after its `>`.
    private string Tag(bool end)
    {
        var s = _s;
        var rest = s[_pos..];
        var n = rest.IndexOfAny(TagNameEnds);
        if (n < 0 || rest[n] == '\0')
        {
            throw new GiveUp();
        }

        var name = Name(rest[..n], TagNameTable);
        _pos += n;
        _selfClosing = false;
        _scratch.Attributes.Clear();
        _scratch.CharLength = 0;
        while (true)
        {
            var c = SkipSpaces();
            if (c == '>')
            {
                _pos++;
                return name;
            }

            if (c == '/')
            {
                _pos++;
                if (_pos < s.Length && s[_pos] == '>')
                {
                    _pos++;
                    _selfClosing = true;
                    return name;
                }

                continue;
            }

            if (c is '=' or '"' or '\'' or '<')
            {
                throw new GiveUp();
            }

            rest = s[_pos..];
            n = rest.IndexOfAny(AttributeNameEnds);
            if (n < 0 || rest[n] is '"' or '\'' or '<' or '\0')
            {
                throw new GiveUp();
            }

            var attribute = Name(rest[..n], AttributeNameTable);
            _pos += n;
            c = SkipSpaces();
            if (c != '=')
            {
                AddAttribute(attribute, new Value(0, 0, false), end);
                continue;
            }

            _pos++;
            c = SkipSpaces();
            if (c is '"' or '\'')
            {
                _pos++;
                AddAttribute(attribute, QuotedValue(c), end);
            }
            else if (c == '>')
            {
                AddAttribute(attribute, new Value(0, 0, false), end);
            }
            else
            {
                AddAttribute(attribute, UnquotedValue(), end);
            }
        }
    }

    private void AddAttribute(string name, Value value, bool end)
    {
        if (end)
        {
            return;
        }

        foreach (var attribute in _scratch.Attributes)
        {
            if (ReferenceEquals(attribute.Name, name) || attribute.Name == name)
            {
                throw new GiveUp();
            }
        }

        _scratch.Attributes.Add(new Attribute(name, value));
    }

    private Value QuotedValue(char quote)
    {
        var s = _s;
        var start = _pos;

        // Most values have neither a reference nor a CR: one search finds their end.
        var k = s[start..].IndexOfAny(quote == '"' ? DoubleQuotedStops : SingleQuotedStops);
        if (k >= 0 && s[start + k] == quote)
        {
            _pos = start + k + 1;
            return new Value(start, k, false);
        }

        var close = s[start..].IndexOf(quote);
        if (close < 0)
        {
            throw new GiveUp();
        }

        _pos = start + close + 1;
        return Decode(s.Slice(start, close), quote);
    }

    private Value UnquotedValue()
    {
        var s = _s;
        var start = _pos;
        var i = start;
        while (true)
        {
            var k = s[i..].IndexOfAny(UnquotedValueStops);
            if (k < 0)
            {
                throw new GiveUp();
            }

            i += k;
            if (s[i] == '\0')
            {
                throw new GiveUp();
            }

            if (s[i] != '&')
            {
                break;
            }

            // A reference ends where its name does: it cannot take the space or `>` that ends the value.
            i++;
        }

        var raw = s[start..i];
        _pos = i;
        return raw.Contains('&') ? Decode(raw, '>') : new Value(start, raw.Length, false);
    }

    /// An attribute value with its references decoded and CRs made LFs, in the scratch's characters.
    private Value Decode(ReadOnlySpan<char> raw, char allowed)
    {
        var start = _scratch.CharLength;
        while (!raw.IsEmpty)
        {
            var k = raw.IndexOfAny(ReferenceOrReturn);
            if (k < 0)
            {
                _scratch.Append(raw);
                break;
            }

            if (raw[k] == '\0')
            {
                throw new GiveUp();
            }

            _scratch.Append(raw[..k]);
            if (raw[k] == '\r')
            {
                _scratch.Append("\n");
                k++;
                if (k < raw.Length && raw[k] == '\n')
                {
                    k++;
                }

                raw = raw[k..];
                continue;
            }

            var used = Reference(raw[k..], allowed, out var decoded);
            _scratch.Append(decoded);
            raw = raw[(k + used)..];
        }

        return new Value(start, _scratch.CharLength - start, true);
    }

    private char SkipSpaces()
    {
        // Most tags have one space between attributes or none at all: no search for those.
        if (_pos < _s.Length && _s[_pos] is var c && c is not ('\t' or '\n' or '\f' or '\r' or ' '))
        {
            return c;
        }

        if (_pos + 1 < _s.Length && _s[_pos] == ' ' && _s[_pos + 1] is var d && d is not ('\t' or '\n' or '\f' or '\r' or ' '))
        {
            _pos++;
            return d;
        }

        var rest = _s[_pos..];
        var k = rest.IndexOfAnyExcept(Spaces);
        if (k < 0)
        {
            throw new GiveUp();
        }

        _pos += k;
        return rest[k];
    }

    /// A tag or attribute name as the tokenizer makes it (ASCII capitals lowered), as the string AngleSharp keeps for it
    /// when it knows the name.
    private static string Name(ReadOnlySpan<char> raw, Names table)
    {
        if (raw.ContainsAnyInRange('A', 'Z'))
        {
            Span<char> lower = raw.Length <= 128 ? stackalloc char[raw.Length] : new char[raw.Length];
            for (var i = 0; i < raw.Length; i++)
            {
                lower[i] = raw[i] is >= 'A' and <= 'Z' ? (char)(raw[i] | 0x20) : raw[i];
            }

            return table.Find(lower) ?? new string(lower);
        }

        return table.Find(raw) ?? new string(raw);
    }

    private void Comment()
    {
        var s = _s;
        var p = _pos + 4;
        int end;
        if (p < s.Length && s[p] == '>')
        {
            end = p + 1;
        }
        else if (p + 1 < s.Length && s[p] == '-' && s[p + 1] == '>')
        {
            end = p + 2;
        }
        else
        {
            var from = p;
            while (true)
            {
                var q = s[from..].IndexOf("--");
                if (q < 0)
                {
                    throw new GiveUp();
                }

                q += from;
                var r = q + 2;
                while (r < s.Length && s[r] == '-')
                {
                    r++;
                }

                if (r < s.Length && s[r] == '>')
                {
                    end = r + 1;
                    break;
                }

                if (r + 1 < s.Length && s[r] == '!' && s[r + 1] == '>')
                {
                    end = r + 2;
                    break;
                }

                from = q + 1;
            }
        }

        if (s[_pos..end].Contains('\0'))
        {
            throw new GiveUp();
        }

        _pos = end;
        CommentToken();
    }

    private void Doctype()
    {
        var s = _s;
        var p = _pos + DoctypeKeywordText.Length;
        var k = s[p..].IndexOfAnyExcept(Spaces);
        if (k < 0)
        {
            throw new GiveUp();
        }

        p += k;
        var n = s[p..].IndexOfAny(TagNameEnds);
        if (n <= 0 || s[p + n] == '/')
        {
            throw new GiveUp();
        }

        var name = Name(s.Slice(p, n), TagNameTable);
        var close = s[p..].IndexOf('>');
        if (close < 0 || _mode != Mode.Initial || s[_pos..(p + close)].Contains('\0'))
        {
            throw new GiveUp();
        }

        _doctype = name == "html" && s[(p + n)..].IndexOfAnyExcept(Spaces) is var next && next >= 0 && s[p + n + next] == '>'
            ? DoctypeKind.Html
            : DoctypeKind.Other;
        _pos = p + close + 1;
        _skipNewline = false;
        _document.AddNode(new PageTree.DocumentType(name));
        _mode = Mode.BeforeHtml;
    }

    /// The text of a raw text or RCDATA element (a script's, a style's, a title's ...) and its end tag, added to
    /// <paramref name="element"/>, which is then closed.
    private void RawText(PageTree.Element element, bool references, bool skipNewline = false)
    {
        var s = _s;
        var name = element.LocalName;
        var from = _pos;
        int end;
        while (true)
        {
            var k = s[from..].IndexOf("</");
            if (k < 0)
            {
                throw new GiveUp();
            }

            end = from + k;
            var after = end + 2 + name.Length;
            if (after < s.Length && s.Slice(end + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && s[after] is '\t' or '\n' or '\f' or '\r' or ' ' or '/' or '>')
            {
                break;
            }

            from = end + 2;
        }

        // A script's `<!--` starts the escaped states; elsewhere AngleSharp lowers the letters after a `</` that is not
        // the element's end tag.
        var content = s[_pos..end];
        if (content.Contains(name == "script" ? "<!--" : "</", StringComparison.Ordinal))
        {
            throw new GiveUp();
        }

        if (skipNewline && !content.IsEmpty && content[0] is '\n' or '\r')
        {
            content = content[(content.Length > 1 && content[0] == '\r' && content[1] == '\n' ? 2 : 1)..];
        }

        Text(content, references, element);
        _pos = end + 2;
        Tag(end: true);
        Pop();
    }

    // ---- Tree construction ----

    private void Characters(ReadOnlySpan<char> text)
    {
        if (_skipNewline)
        {
            _skipNewline = false;
            if (text[0] == '\n')
            {
                text = text[1..];
            }
        }

        while (!text.IsEmpty)
        {
            switch (_mode)
            {
                case Mode.InTable or Mode.InTableBody or Mode.InRow:
                    // Table text: whitespace stays where it is, anything else would be foster-parented.
                    if (text.ContainsAnyExcept(Spaces))
                    {
                        throw new GiveUp();
                    }

                    Current.AppendText(text);
                    return;
                case Mode.InBody or Mode.InCell:
                    if (Current.IsHtml)
                    {
                        ReconstructFormatting();
                    }
                    else if (NeedsReconstruction())
                    {
                        throw new GiveUp();
                    }

                    Current.AppendText(text);
                    return;
                case Mode.Initial or Mode.BeforeHtml or Mode.BeforeHead:
                    var start = text.IndexOfAnyExcept(Spaces);
                    if (start < 0)
                    {
                        return;
                    }

                    text = text[start..];

                    Advance();
                    continue;
                default:
                    var spaces = text.IndexOfAnyExcept(Spaces);
                    if (spaces != 0)
                    {
                        var leading = spaces < 0 ? text : text[..spaces];
                        if (_mode is Mode.AfterBody or Mode.AfterAfterBody)
                        {
                            ReconstructFormatting();
                        }

                        Current.AppendText(leading);
                        if (spaces < 0)
                        {
                            return;
                        }

                        text = text[spaces..];
                    }

                    Advance();
                    continue;
            }
        }
    }

    private void CommentToken()
    {
        _skipNewline = false;
        if (!CommentNodes)
        {
            return;
        }

        var comment = new PageTree.Comment();
        switch (_mode)
        {
            case Mode.Initial or Mode.BeforeHtml or Mode.AfterAfterBody:
                _document.AddNode(comment);
                break;
            case Mode.AfterBody:
                _scratch.Stack[0].AddNode(comment);
                break;
            default:
                Current.AddNode(comment);
                break;
        }
    }

    /// What each mode before the body does with a token it has no rule for: the element it implies, or the mode it
    /// leaves for.
    private void Advance()
    {
        switch (_mode)
        {
            case Mode.Initial:
                _mode = Mode.BeforeHtml;
                break;
            case Mode.BeforeHtml:
                var html = PageTree.CreateHtml(_document, TagNames.Html);
                _document.AddNode(html);
                _scratch.Stack.Add(html);
                _mode = Mode.BeforeHead;
                break;
            case Mode.BeforeHead:
                Insert(TagNames.Head, attributes: false);
                _mode = Mode.InHead;
                break;
            case Mode.InHead:
                Pop();
                _mode = Mode.AfterHead;
                break;
            case Mode.InHeadNoscript:
                Pop();
                _mode = Mode.InHead;
                break;
            case Mode.AfterHead:
                Insert(TagNames.Body, attributes: false);
                _mode = Mode.InBody;
                break;
            default:
                _mode = Mode.InBody;
                break;
        }
    }

    private void StartTag(string name)
    {
        _skipNewline = false;
        if (name == "html" && _mode is not (Mode.Initial or Mode.BeforeHtml))
        {
            AddMissingAttributes(_scratch.Stack[0]);
            return;
        }

        while (true)
        {
            switch (_mode)
            {
                case Mode.BeforeHtml when name == "html":
                    var html = PageTree.CreateHtml(_document, name);
                    AddAttributes(html);
                    _document.AddNode(html);
                    _scratch.Stack.Add(html);
                    _mode = Mode.BeforeHead;
                    return;
                case Mode.BeforeHead when name == "head":
                    Insert(name);
                    _mode = Mode.InHead;
                    return;
                case Mode.InHead:
                    if (InHeadStartTag(name))
                    {
                        return;
                    }

                    break;
                case Mode.InHeadNoscript:
                    switch (name)
                    {
                        case "basefont" or "bgsound" or "link" or "meta" or "noframes" or "style":
                            InHeadStartTag(name);
                            return;
                        case "head" or "noscript":
                            throw new GiveUp();
                    }

                    break;
                case Mode.AfterHead:
                    switch (name)
                    {
                        case "body":
                            Insert(name);
                            _mode = Mode.InBody;
                            return;
                        case "frameset" or "head" or "base" or "basefont" or "bgsound" or "link" or "meta" or "noframes"
                            or "script" or "style" or "template" or "title":
                            throw new GiveUp();
                    }

                    break;
                case Mode.InBody or Mode.InCell when !Current.IsHtml:
                    ForeignStartTag(name);
                    return;
                case Mode.InBody:
                    InBodyStartTag(name);
                    return;
                case Mode.InTable or Mode.InTableBody or Mode.InRow or Mode.InCell:
                    if (TableStartTag(name))
                    {
                        return;
                    }

                    continue;
            }

            Advance();
        }
    }

    private bool InHeadStartTag(string name)
    {
        switch (name)
        {
            case "base" or "basefont" or "bgsound" or "link" or "meta":
                Insert(name);
                Pop();
                return true;
            case "title":
                RawText(Insert(name), references: true);
                return true;
            case "noscript" when _mode == Mode.InHead:
                Insert(name);
                _mode = Mode.InHeadNoscript;
                return true;
            case "noframes" or "style" or "script":
                RawText(Insert(name), references: false);
                return true;
            case "template" or "head":
                throw new GiveUp();
            default:
                return false;
        }
    }

    private void InBodyStartTag(string name)
    {
        switch (name)
        {
            case "base" or "basefont" or "bgsound" or "link" or "meta" or "noframes" or "script" or "style" or "title":
                InHeadStartTag(name);
                return;
            case "address" or "article" or "aside" or "blockquote" or "center" or "details" or "dir" or "div" or "dl"
                or "fieldset" or "figcaption" or "figure" or "footer" or "header" or "hgroup" or "main" or "menu" or "nav"
                or "ol" or "p" or "section" or "summary" or "ul":
                ClosePInButtonScope();
                Insert(name);
                return;
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                ClosePInButtonScope();
                if ((Current.Kind & PageTree.TagKind.Heading) != 0)
                {
                    Pop();
                }

                Insert(name);
                return;
            case "pre" or "listing":
                ClosePInButtonScope();
                Insert(name);
                _skipNewline = true;
                return;
            case "form":
                if (_form is not null)
                {
                    return;
                }

                ClosePInButtonScope();
                _form = Insert(name);
                return;
            case "li" or "dd" or "dt":
                ListItem(name);
                return;
            case "button":
                if (InScope(name, ScopeKind.Default))
                {
                    GenerateImpliedEndTags(except: null);
                    PopUntil(name);
                }

                ReconstructFormatting();
                Insert(name);
                return;
            case "a":
                for (var i = _scratch.Formatting.Count - 1; i >= 0 && _scratch.Formatting[i] is { } entry; i--)
                {
                    if (entry.LocalName == "a")
                    {
                        throw new GiveUp();
                    }
                }

                ReconstructFormatting();
                _scratch.Formatting.Add(Insert(name));
                return;
            case "b" or "big" or "code" or "em" or "font" or "i" or "s" or "small" or "strike" or "strong" or "tt" or "u":
                ReconstructFormatting();
                var same = 0;
                for (var i = _scratch.Formatting.Count - 1; i >= 0 && _scratch.Formatting[i] is { } entry; i--)
                {
                    same += entry.LocalName == name ? 1 : 0;
                }

                if (same >= 3)
                {
                    throw new GiveUp();
                }

                _scratch.Formatting.Add(Insert(name));
                return;
            case "area" or "br" or "embed" or "img" or "keygen" or "wbr" or "input":
                ReconstructFormatting();
                Insert(name);
                Pop();
                return;
            case "param" or "source" or "track":
                Insert(name);
                Pop();
                return;
            case "hr":
                ClosePInButtonScope();
                Insert(name);
                Pop();
                return;
            case "textarea":
                RawText(Insert(name), references: true, skipNewline: true);
                return;
            case "xmp":
                ClosePInButtonScope();
                ReconstructFormatting();
                RawText(Insert(name), references: false);
                return;
            case "iframe" or "noembed":
                RawText(Insert(name), references: false);
                return;
            case "body":
                // A second body start tag adds what the first did not have.
                if (_scratch.Stack.Count > 1 && _scratch.Stack[1].LocalName == "body")
                {
                    AddMissingAttributes(_scratch.Stack[1]);
                }

                return;
            case "svg":
                ReconstructFormatting();
                ForeignElement(name);
                return;
            case "table":
                if (_doctype == DoctypeKind.Other)
                {
                    throw new GiveUp();
                }

                if (_doctype == DoctypeKind.Html)
                {
                    ClosePInButtonScope();
                }

                Insert(name);
                _mode = Mode.InTable;
                return;
            case "frameset" or "template" or "plaintext" or "nobr" or "applet" or "marquee" or "object"
                or "image" or "isindex" or "select" or "optgroup" or "option" or "rb" or "rp" or "rt" or "rtc"
                or "math" or "caption" or "col" or "colgroup" or "frame" or "head" or "tbody" or "td" or "tfoot"
                or "th" or "thead" or "tr" or "dialog" or "search" or "menuitem":
                throw new GiveUp();
            default:
                ReconstructFormatting();
                Insert(name);
                return;
        }
    }

    /// A start tag in a table, a table body, a row or a cell: true if taken, false to take it again in the mode it
    /// switched to. Whatever would be foster-parented out of the table (or needs captions, column groups, forms or
    /// hidden inputs there) makes the parser give up.
    private bool TableStartTag(string name)
    {
        switch (_mode)
        {
            case Mode.InCell:
                if (name is "caption" or "col" or "colgroup" or "tbody" or "td" or "tfoot" or "th" or "thead" or "tr")
                {
                    if (!InTableScope("td") && !InTableScope("th"))
                    {
                        throw new GiveUp();
                    }

                    CloseCell();
                    return false;
                }

                InBodyStartTag(name);
                return true;
            case Mode.InRow:
                if (name is "td" or "th")
                {
                    ClearBackTo("tr");
                    Insert(name);
                    _mode = Mode.InCell;
                    _scratch.Formatting.Add(null);
                    return true;
                }

                if (name is "caption" or "col" or "colgroup" or "tbody" or "tfoot" or "thead" or "tr")
                {
                    if (!InTableScope("tr"))
                    {
                        throw new GiveUp();
                    }

                    ClearBackTo("tr");
                    Pop();
                    _mode = Mode.InTableBody;
                    return false;
                }

                break;
            case Mode.InTableBody:
                if (name == "tr")
                {
                    ClearBackToTableBody();
                    Insert(name);
                    _mode = Mode.InRow;
                    return true;
                }

                if (name is "td" or "th")
                {
                    ClearBackToTableBody();
                    Insert("tr", attributes: false);
                    _mode = Mode.InRow;
                    return false;
                }

                if (name is "caption" or "col" or "colgroup" or "tbody" or "tfoot" or "thead")
                {
                    if (!InTableScope("tbody") && !InTableScope("thead") && !InTableScope("tfoot"))
                    {
                        throw new GiveUp();
                    }

                    ClearBackToTableBody();
                    Pop();
                    _mode = Mode.InTable;
                    return false;
                }

                break;
        }

        // In table.
        switch (name)
        {
            case "tbody" or "tfoot" or "thead":
                ClearBackTo("table");
                Insert(name);
                _mode = Mode.InTableBody;
                return true;
            case "td" or "th" or "tr":
                ClearBackTo("table");
                Insert("tbody", attributes: false);
                _mode = Mode.InTableBody;
                return false;
            case "style" or "script":
                InHeadStartTag(name);
                return true;
            default:
                throw new GiveUp();
        }
    }

    /// An end tag in a table, a table body, a row or a cell, as <see cref="TableStartTag"/>.
    private bool TableEndTag(string name)
    {
        switch (_mode)
        {
            case Mode.InCell:
                if (name is "td" or "th")
                {
                    if (!InTableScope(name))
                    {
                        throw new GiveUp();
                    }

                    GenerateImpliedEndTags(except: null);
                    PopUntil(name);
                    ClearFormattingToMarker();
                    _mode = Mode.InRow;
                    return true;
                }

                if (name is "table" or "tbody" or "tfoot" or "thead" or "tr")
                {
                    if (!InTableScope(name))
                    {
                        throw new GiveUp();
                    }

                    CloseCell();
                    return false;
                }

                if (name is "body" or "caption" or "col" or "colgroup" or "html")
                {
                    throw new GiveUp();
                }

                InBodyEndTag(name);
                return true;
            case Mode.InRow:
                if (name == "tr")
                {
                    if (!InTableScope(name))
                    {
                        throw new GiveUp();
                    }

                    ClearBackTo("tr");
                    Pop();
                    _mode = Mode.InTableBody;
                    return true;
                }

                if (name is "table" or "tbody" or "tfoot" or "thead")
                {
                    if (!InTableScope(name) || !InTableScope("tr"))
                    {
                        throw new GiveUp();
                    }

                    ClearBackTo("tr");
                    Pop();
                    _mode = Mode.InTableBody;
                    return false;
                }

                break;
            case Mode.InTableBody:
                if (name is "tbody" or "tfoot" or "thead")
                {
                    if (!InTableScope(name))
                    {
                        throw new GiveUp();
                    }

                    ClearBackToTableBody();
                    Pop();
                    _mode = Mode.InTable;
                    return true;
                }

                if (name == "table")
                {
                    if (!InTableScope("tbody") && !InTableScope("thead") && !InTableScope("tfoot"))
                    {
                        throw new GiveUp();
                    }

                    ClearBackToTableBody();
                    Pop();
                    _mode = Mode.InTable;
                    return false;
                }

                break;
        }

        // In table.
        if (name != "table" || !InTableScope(name))
        {
            throw new GiveUp();
        }

        PopUntil(name);
        ResetMode();
        return true;
    }

    private void CloseCell()
    {
        GenerateImpliedEndTags(except: null);
        while (Pop().LocalName is not ("td" or "th"))
        {
        }

        ClearFormattingToMarker();
        _mode = Mode.InRow;
    }

    private readonly void ClearFormattingToMarker()
    {
        var formatting = _scratch.Formatting;
        while (formatting.Count > 0)
        {
            var entry = formatting[^1];
            formatting.RemoveAt(formatting.Count - 1);
            if (entry is null)
            {
                return;
            }
        }
    }

    private readonly void ClearBackTo(string name)
    {
        while (Current.LocalName != name && Current.LocalName != "html")
        {
            Pop();
        }
    }

    private readonly void ClearBackToTableBody()
    {
        while (Current.LocalName is not ("tbody" or "tfoot" or "thead" or "html"))
        {
            Pop();
        }
    }

    /// The insertion mode the open elements call for, after a table closed (a table in a cell returns to the cell).
    private void ResetMode()
    {
        var stack = _scratch.Stack;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            switch (stack[i].LocalName)
            {
                case "td" or "th":
                    _mode = Mode.InCell;
                    return;
                case "tr":
                    _mode = Mode.InRow;
                    return;
                case "tbody" or "thead" or "tfoot":
                    _mode = Mode.InTableBody;
                    return;
                case "table":
                    _mode = Mode.InTable;
                    return;
                case "body":
                    _mode = Mode.InBody;
                    return;
            }
        }

        throw new GiveUp();
    }

    /// A start tag inside SVG: an SVG element, unless the tag breaks out of it into HTML (or is a script, or the
    /// current node takes HTML: a title, desc or foreignObject).
    private void ForeignStartTag(string name)
    {
        if (Current.LocalName is "title" or "desc" or "foreignObject" || name is "script" or "font" || BreaksOut(name))
        {
            throw new GiveUp();
        }

        ForeignElement(SvgTagNames.TryGetValue(name, out var adjusted) ? adjusted : name);
    }

    /// An SVG element with its attributes adjusted as AngleSharp adjusts them; closed at once if self-closing.
    private void ForeignElement(string name)
    {
        var element = PageTree.CreateSvg(_document, name);
        foreach (var attribute in _scratch.Attributes)
        {
            var attributeName = attribute.Name;
            if (attributeName.Contains(':') || attributeName.StartsWith("xml", StringComparison.Ordinal))
            {
                throw new GiveUp();
            }

            var value = attribute.Value;
            element.AddAttribute(
                SvgAttributeNames.TryGetValue(attributeName, out var adjusted) ? adjusted : attributeName,
                value.Decoded ? _scratch.Chars.AsSpan(value.Start, value.Length) : _s.Slice(value.Start, value.Length));
        }

        Current.AddNode(element);
        if (!_selfClosing)
        {
            _scratch.Stack.Add(element);
        }
    }

    /// An end tag inside SVG closes the SVG element of its name (in any case) and what is open in it.
    private void ForeignEndTag(string name)
    {
        // In a title, desc or foreignObject AngleSharp may take the tag by the HTML rules, where those elements are
        // special: only their own end tag closes the same either way.
        if (Current.LocalName is "title" or "desc" or "foreignObject" && Current.LocalName != name)
        {
            throw new GiveUp();
        }

        var stack = _scratch.Stack;
        for (var i = stack.Count - 1; i > 0 && !stack[i].IsHtml; i--)
        {
            if (stack[i].LocalName.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                stack.RemoveRange(i, stack.Count - i);
                return;
            }
        }

        throw new GiveUp();
    }

    private static bool BreaksOut(string name) => name is "b" or "big" or "blockquote" or "body" or "br" or "center" or "code"
        or "dd" or "div" or "dl" or "dt" or "em" or "embed" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "head" or "hr"
        or "i" or "img" or "li" or "listing" or "menu" or "meta" or "nobr" or "ol" or "p" or "pre" or "ruby" or "s" or "small"
        or "span" or "strong" or "strike" or "sub" or "sup" or "table" or "tt" or "u" or "ul" or "var";

    private void ListItem(string name)
    {
        var stack = _scratch.Stack;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            var node = stack[i].LocalName;
            if (name == "li" ? node == "li" : node is "dd" or "dt")
            {
                GenerateImpliedEndTags(except: node);
                PopUntil(node);
                break;
            }

            if ((stack[i].Kind & PageTree.TagKind.Special) != 0 && node is not ("address" or "div" or "p"))
            {
                break;
            }
        }

        ClosePInButtonScope();
        Insert(name);
    }

    private void EndTag(string name)
    {
        _skipNewline = false;
        while (true)
        {
            switch (_mode)
            {
                case Mode.Initial:
                    break;
                case Mode.BeforeHtml or Mode.BeforeHead:
                    if (name is not ("head" or "body" or "html" or "br"))
                    {
                        return;
                    }

                    break;
                case Mode.InHead:
                    if (name == "head")
                    {
                        Pop();
                        _mode = Mode.AfterHead;
                        return;
                    }

                    if (name is not ("body" or "html" or "br"))
                    {
                        return;
                    }

                    break;
                case Mode.InHeadNoscript:
                    if (name == "noscript")
                    {
                        Pop();
                        _mode = Mode.InHead;
                        return;
                    }

                    if (name != "br")
                    {
                        return;
                    }

                    break;
                case Mode.AfterHead:
                    if (name is not ("body" or "html" or "br"))
                    {
                        return;
                    }

                    break;
                case Mode.InBody or Mode.InCell when !Current.IsHtml:
                    ForeignEndTag(name);
                    return;
                case Mode.InBody:
                    InBodyEndTag(name);
                    return;
                case Mode.InTable or Mode.InTableBody or Mode.InRow or Mode.InCell:
                    if (TableEndTag(name))
                    {
                        return;
                    }

                    continue;
                case Mode.AfterBody when name == "html":
                    _mode = Mode.AfterAfterBody;
                    return;
            }

            Advance();
        }
    }

    private void InBodyEndTag(string name)
    {
        switch (name)
        {
            case "body" or "html":
                if (!InScope("body", ScopeKind.Default))
                {
                    return;
                }

                _mode = name == "body" ? Mode.AfterBody : Mode.AfterAfterBody;
                return;
            case "address" or "article" or "aside" or "blockquote" or "button" or "center" or "details" or "dir" or "div"
                or "dl" or "fieldset" or "figcaption" or "figure" or "footer" or "header" or "hgroup" or "listing" or "main"
                or "menu" or "nav" or "ol" or "pre" or "section" or "summary" or "ul":
                if (!InScope(name, ScopeKind.Default))
                {
                    return;
                }

                GenerateImpliedEndTags(except: null);
                PopUntil(name);
                return;
            case "form":
                var form = _form;
                _form = null;
                if (form is null || !InScope(form))
                {
                    return;
                }

                GenerateImpliedEndTags(except: null);
                if (!ReferenceEquals(Current, form))
                {
                    throw new GiveUp();
                }

                Pop();
                return;
            case "p":
                if (!InScope(name, ScopeKind.Button))
                {
                    Insert(name, attributes: false);
                }

                GenerateImpliedEndTags(except: name);
                PopUntil(name);
                return;
            case "li":
                if (!InScope(name, ScopeKind.ListItem))
                {
                    return;
                }

                GenerateImpliedEndTags(except: name);
                PopUntil(name);
                return;
            case "dd" or "dt":
                if (!InScope(name, ScopeKind.Default))
                {
                    return;
                }

                GenerateImpliedEndTags(except: name);
                PopUntil(name);
                return;
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                if (!HeadingInScope())
                {
                    return;
                }

                GenerateImpliedEndTags(except: null);
                while ((Pop().Kind & PageTree.TagKind.Heading) == 0)
                {
                }

                return;
            case "a" or "b" or "big" or "code" or "em" or "font" or "i" or "nobr" or "s" or "small" or "strike" or "strong" or "tt" or "u":
                if (FormattingEndTag(name))
                {
                    return;
                }

                break;
            case "br" or "template" or "applet" or "marquee" or "object" or "sarcasm":
                throw new GiveUp();
        }

        // Any other end tag.
        var stack = _scratch.Stack;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            var node = stack[i];
            if (node.LocalName == name)
            {
                GenerateImpliedEndTags(except: name);
                while (!ReferenceEquals(Pop(), node))
                {
                }

                return;
            }

            if ((node.Kind & PageTree.TagKind.Special) != 0)
            {
                return;
            }
        }
    }

    /// The end tag of a formatting element, where it closes the current node (the adoption agency's first steps);
    /// false if no such element is open or active (the tag is then any other end tag).
    private bool FormattingEndTag(string name)
    {
        var formatting = _scratch.Formatting;
        var index = formatting.Count - 1;
        while (index >= 0 && formatting[index] is { } entry && entry.LocalName != name)
        {
            index--;
        }

        if (index < 0 || formatting[index] is not { } element)
        {
            return false;
        }

        if (!_scratch.Stack.Contains(element))
        {
            formatting.RemoveAt(index);
            return true;
        }

        if (!InScope(element))
        {
            return true;
        }

        if (!ReferenceEquals(Current, element))
        {
            throw new GiveUp();
        }

        Pop();
        formatting.RemoveAt(index);
        return true;
    }

    /// Reopens the active formatting elements that were closed with an element they were in (`<p><b>x</p>y`: the `b`
    /// around `y`), as copies.
    private readonly void ReconstructFormatting()
    {
        var formatting = _scratch.Formatting;
        if (formatting.Count == 0 || formatting[^1] is not { } last || OnStack(last))
        {
            return;
        }

        var i = formatting.Count - 1;
        while (i > 0 && formatting[i - 1] is { } before && !OnStack(before))
        {
            i--;
        }

        for (; i < formatting.Count; i++)
        {
            var copy = (PageTree.Element)((AngleSharp.Html.Construction.IConstructableElement)formatting[i]!).ShallowCopy();
            Current.AddNode(copy);
            _scratch.Stack.Add(copy);
            formatting[i] = copy;
        }
    }

    private readonly bool NeedsReconstruction() => _scratch.Formatting.Count > 0 && _scratch.Formatting[^1] is { } last && !OnStack(last);

    private readonly bool OnStack(PageTree.Element element)
    {
        var stack = _scratch.Stack;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(stack[i], element))
            {
                return true;
            }
        }

        return false;
    }

    private enum ScopeKind
    {
        Default,
        Button,
        ListItem,
    }

    // Every element that limits a scope and may be open here is html, button (button scope) or a list (list item
    // scope): tables, templates, applets, marquees, objects and foreign content make the parser give up.
    private readonly bool InScope(string name, ScopeKind kind)
    {
        var stops = PageTree.TagKind.ScopeBoundary | kind switch
        {
            ScopeKind.Button => PageTree.TagKind.Button,
            ScopeKind.ListItem => PageTree.TagKind.List,
            _ => PageTree.TagKind.None,
        };
        var stack = _scratch.Stack;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            var node = stack[i];
            if (node.LocalName == name)
            {
                return true;
            }

            if ((node.Kind & stops) != 0)
            {
                return false;
            }
        }

        return false;
    }

    private readonly bool InScope(PageTree.Element element)
    {
        var stack = _scratch.Stack;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            if (ReferenceEquals(stack[i], element))
            {
                return true;
            }

            if ((stack[i].Kind & PageTree.TagKind.ScopeBoundary) != 0)
            {
                return false;
            }
        }

        return false;
    }

    private readonly bool InTableScope(string name)
    {
        var stack = _scratch.Stack;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            var node = stack[i].LocalName;
            if (node == name)
            {
                return true;
            }

            if (node is "html" or "table")
            {
                return false;
            }
        }

        return false;
    }

    private readonly bool HeadingInScope()
    {
        var stack = _scratch.Stack;
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            if ((stack[i].Kind & PageTree.TagKind.Heading) != 0)
            {
                return true;
            }

            if ((stack[i].Kind & PageTree.TagKind.ScopeBoundary) != 0)
            {
                return false;
            }
        }

        return false;
    }

    private void ClosePInButtonScope()
    {
        if (InScope("p", ScopeKind.Button))
        {
            GenerateImpliedEndTags(except: "p");
            PopUntil("p");
        }
    }

    private void GenerateImpliedEndTags(string? except)
    {
        while ((Current.Kind & PageTree.TagKind.ImpliedEnd) != 0 && Current.LocalName != except)
        {
            Pop();
        }
    }

    private void PopUntil(string name)
    {
        while (Pop().LocalName != name)
        {
        }
    }

    private readonly PageTree.Element Pop()
    {
        var stack = _scratch.Stack;
        var top = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return top;
    }

    private readonly PageTree.Element Insert(string name, bool attributes = true)
    {
        var element = PageTree.CreateHtml(_document, name);
        if (attributes)
        {
            AddAttributes(element);
        }

        Current.AddNode(element);
        _scratch.Stack.Add(element);
        return element;
    }

    private readonly void AddAttributes(PageTree.Element element)
    {
        foreach (var attribute in _scratch.Attributes)
        {
            var value = attribute.Value;
            element.AddAttribute(attribute.Name, value.Decoded ? _scratch.Chars.AsSpan(value.Start, value.Length) : _s.Slice(value.Start, value.Length));
        }
    }

    private readonly void AddMissingAttributes(PageTree.Element element)
    {
        foreach (var attribute in _scratch.Attributes)
        {
            if (!element.HasAttribute(attribute.Name))
            {
                var value = attribute.Value;
                element.AddAttribute(attribute.Name, value.Decoded ? _scratch.Chars.AsSpan(value.Start, value.Length) : _s.Slice(value.Start, value.Length));
            }
        }
    }

    private static FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> CaseTable(params string[] names) =>
        names.ToFrozenDictionary(n => n.ToLowerInvariant(), n => n, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// Where an attribute's value is: in the page, or (decoded) in the scratch's characters.
    private readonly record struct Value(int Start, int Length, bool Decoded);

    private readonly record struct Attribute(string Name, Value Value);

    /// The names AngleSharp keeps as strings of its own (a class of string constants), found by their characters: open
    /// addressing on the length and three characters, then one compare. A frozen dictionary hashed every character of
    /// every tag and attribute name first, a tenth of the parse.
    private sealed class Names
    {
        private readonly string?[] _slots;
        private readonly int _shift;

        public Names(Type constants)
        {
            var names = constants.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(string))
                .Select(f => (string)f.GetValue(null)!).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            var bits = 6;
            while ((1 << bits) < names.Count * 4)
            {
                bits++;
            }

            _slots = new string?[1 << bits];
            _shift = 32 - bits;
            foreach (var name in names)
            {
                var i = Slot(name);
                while (_slots[i] is not null)
                {
                    i = (i + 1) & (_slots.Length - 1);
                }

                _slots[i] = name;
            }
        }

        /// The kept string of <paramref name="name"/>, or null if it is none of the names.
        public string? Find(ReadOnlySpan<char> name)
        {
            if (name.IsEmpty)
            {
                return null;
            }

            var slots = _slots;
            for (var i = Slot(name); slots[i] is { } known; i = (i + 1) & (slots.Length - 1))
            {
                if (name.SequenceEqual(known))
                {
                    return known;
                }
            }

            return null;
        }

        private int Slot(ReadOnlySpan<char> name) =>
            (int)((((uint)name.Length * 0x9E3779B1u) ^ ((uint)name[0] * 0x85EBCA77u) ^ ((uint)name[^1] * 0xC2B2AE3Du)
                ^ ((uint)name[name.Length / 2] * 0x27D4EB2Fu)) * 0x9E3779B1u >> _shift);
    }

    /// Thrown where the page needs what this parser does not build.
    private sealed class GiveUp : Exception;

    /// What a parse needs besides the tree, kept per thread.
    private sealed class Scratch
    {
        private const int MaxSymbolsKept = 4096;

        private readonly Dictionary<string, string?> _symbols = new(StringComparer.Ordinal);

        public List<PageTree.Element> Stack { get; } = [];

        /// The active formatting elements; null is a marker (a table cell's start).
        public List<PageTree.Element?> Formatting { get; } = [];

        public List<Attribute> Attributes { get; } = [];

        public char[] Chars { get; private set; } = new char[1024];

        public int CharLength { get; set; }

        public char[] Entity { get; } = new char[2];

        public void Append(ReadOnlySpan<char> text)
        {
            if (CharLength + text.Length > Chars.Length)
            {
                var larger = new char[Math.Max(Chars.Length * 2, CharLength + text.Length)];
                Chars.AsSpan(0, CharLength).CopyTo(larger);
                Chars = larger;
            }

            text.CopyTo(Chars.AsSpan(CharLength));
            CharLength += text.Length;
        }

        /// AngleSharp's character for a reference name (with its semicolon, or without for the legacy names).
        public string? Symbol(ReadOnlySpan<char> name)
        {
            var symbols = _symbols.GetAlternateLookup<ReadOnlySpan<char>>();
            if (symbols.TryGetValue(name, out var symbol))
            {
                return symbol;
            }

            if (_symbols.Count >= MaxSymbolsKept)
            {
                _symbols.Clear();
            }

            var key = new string(name);
            symbol = HtmlEntityProvider.Resolver.GetSymbol(key);
            _symbols[key] = symbol;
            return symbol;
        }

        public void Clear()
        {
            Stack.Clear();
            Formatting.Clear();
            Attributes.Clear();
            CharLength = 0;
            if (Chars.Length > 64 * 1024)
            {
                Chars = new char[1024];
            }
        }
    }
}
