namespace ScraperSky.Scanning.Extraction;

/// The prescan's estimate of the HTML tree builder's stack of open elements, for the elements that count towards
/// depth (<see cref="HtmlPrescan"/>). An end tag closes something only as the tree builder would let it: when an
/// element of that name is open and no element that stops the builder's search lies above it (a special element for
/// an ordinary end tag, a scope boundary such as `table` for the end tag of a special element). Any other end tag is
/// stray: the builder ignores it, so it must not lower the estimate (or `<q></zz>` repeated keeps the estimate at zero
/// while the real stack grows with every `<q>`), and the builder would walk its whole stack to ignore it, so the
/// prescan drops it when nothing could make it mean something (<see cref="IsDroppable"/>).
///
/// Each element is pushed and popped once, so a page costs linear time whatever its tags.
internal sealed class OpenElements
{
    /// Distinct element names remembered; the names of a page beyond these never close (they only count deeper).
    private const int MaxNames = 4096;

    private const int Unknown = -1;

    // Special elements of the HTML standard (those that stop the "any other end tag" search) that we track: the
    // void ones are never open, and p, li, dd, dt, table rows and cells close themselves, so they are not tracked.
    private static readonly HashSet<string> Special = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "applet", "article", "aside", "blockquote", "button", "caption", "center", "details", "dialog", "dir",
        "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hgroup", "iframe", "listing", "main", "marquee", "menu", "nav", "noembed", "noframes", "noscript",
        "object", "ol", "plaintext", "pre", "search", "section", "select", "summary", "table", "template", "ul",
        "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc",
    };

    // Elements that bound "has an element in scope", the search the end tag of a special element makes.
    private static readonly HashSet<string> ScopeBoundary = new(StringComparer.OrdinalIgnoreCase)
    {
        "applet", "caption", "marquee", "object", "table", "template",
        "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc",
    };

    // End tags the tree builder gives a meaning of their own even when nothing of that name is open (formatting
    // elements and their list, headings closing each other, forms, tables, selects, foreign content ...): never dropped.
    private static readonly HashSet<string> NeverDropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
        "h1", "h2", "h3", "h4", "h5", "h6", "form", "template", "table", "caption", "colgroup", "col", "select",
        "frameset", "svg", "math", "applet", "marquee", "object", "button", "sarcasm",
    };

    private readonly Dictionary<string, NameInfo> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, NameInfo>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<NameInfo> _byId = [];
    private readonly List<int> _stack = [];
    private readonly Stack<int> _specials = new();
    private readonly Stack<int> _boundaries = new();
    private int _foreign;

    public OpenElements() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Depth => _stack.Count;

    /// Inside `svg` or `math`, where `/>` closes an element; in HTML it does so only for void elements.
    public bool InForeignContent => _foreign > 0;

    public void Open(ReadOnlySpan<char> name)
    {
        var info = Intern(name);
        var position = _stack.Count;
        _stack.Add(info?.Id ?? Unknown);
        if (info is null)
        {
            return;
        }

        info.Positions.Push(position);
        if (info.IsSpecial)
        {
            _specials.Push(position);
        }

        if (info.IsBoundary)
        {
            _boundaries.Push(position);
        }

        if (info.IsForeignRoot)
        {
            _foreign++;
        }
    }

    /// Applies an end tag; false when the tree builder would ignore it (nothing of that name open in reach).
    public bool Close(ReadOnlySpan<char> name)
    {
        if (!_lookup.TryGetValue(name, out var info) || info.Positions.Count == 0)
        {
            return false;
        }

        var target = info.Positions.Peek();
        var barriers = info.IsSpecial ? _boundaries : _specials;
        if (barriers.TryPeek(out var barrier) && barrier > target)
        {
            return false;
        }

        while (_stack.Count > target)
        {
            var id = _stack[^1];
            var position = _stack.Count - 1;
            _stack.RemoveAt(position);
            if (id == Unknown)
            {
                continue;
            }

            var popped = _byId[id];
            popped.Positions.Pop();
            if (popped.IsSpecial)
            {
                _specials.Pop();
            }

            if (popped.IsBoundary)
            {
                _boundaries.Pop();
            }

            if (popped.IsForeignRoot)
            {
                _foreign--;
            }
        }

        return true;
    }

    /// An end tag the builder ignores whatever state it is in, given that nothing of its name is open: it can go.
    public bool IsDroppable(ReadOnlySpan<char> name) =>
        !InForeignContent && _names.Count < MaxNames && !NeverDropped.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name)
        && (!_lookup.TryGetValue(name, out var info) || info.Positions.Count == 0);

    private NameInfo? Intern(ReadOnlySpan<char> name)
    {
        if (_lookup.TryGetValue(name, out var info))
        {
            return info;
        }

        if (_names.Count >= MaxNames)
        {
            return null;
        }

        var text = name.ToString();
        info = new NameInfo(_byId.Count, Special.Contains(text), ScopeBoundary.Contains(text),
            text.Equals("svg", StringComparison.OrdinalIgnoreCase) || text.Equals("math", StringComparison.OrdinalIgnoreCase));
        _names.Add(text, info);
        _byId.Add(info);
        return info;
    }

    private sealed class NameInfo(int id, bool isSpecial, bool isBoundary, bool isForeignRoot)
    {
        public int Id { get; } = id;
        public bool IsSpecial { get; } = isSpecial;
        public bool IsBoundary { get; } = isBoundary;
        public bool IsForeignRoot { get; } = isForeignRoot;

        /// Where elements of this name sit in the stack, innermost on top.
        public Stack<int> Positions { get; } = new();
    }
}
