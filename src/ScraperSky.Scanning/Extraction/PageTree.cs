using System.Buffers;
using System.Collections;
using System.Collections.Frozen;
using System.Reflection;
using AngleSharp;
using AngleSharp.Common;
using AngleSharp.Dom;
using AngleSharp.Html.Construction;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens.Struct;
using AngleSharp.Text;

namespace ScraperSky.Scanning.Extraction;

/// A parsed page as the walk reads it: AngleSharp's tree builder (the HTML5 tree construction, so elements, text and
/// their order are those of AngleSharp's DOM) constructing plain nodes instead of its DOM. The DOM made half of a
/// page's parse: an object per attribute, a child list, an attribute map and change observers per element, a
/// string concatenation per text run merged into a text node; here an element is one object with its attributes in
/// an array and a text node keeps its runs. Nothing here serves a selector or a script: DOM fingerprint rules get
/// AngleSharp's own document (<see cref="Fingerprints.PageSignals.Document"/>).
///
/// What the tree builder asks of the nodes follows AngleSharp's DOM: each element carries the flags AngleSharp gives
/// an element of its name (scope, special, implied end ...), comments are nodes (they keep text runs apart, as there),
/// whitespace is kept, and attributes are set, replaced and compared as its attribute map does.
///
/// Where the tree builder tells nodes apart by AngleSharp's own element types, this tree would come out different:
/// it cannot find the table an element is foster-parented before, nor stop at a template when it clears the stack of
/// open elements. A page with a template, or one whose builder placed an element after the root (what a lost foster
/// parent does), is therefore parsed into AngleSharp's DOM and copied: the tree is the DOM's in every case
/// (PageTreeTests compares the two on markup of every kind the builder rearranges and on every fixture page).
internal static class PageTree
{
    private static readonly SearchValues<string> TemplateTag = SearchValues.Create(["<template"], StringComparison.OrdinalIgnoreCase);

    private static readonly IConfiguration Configuration =
        AngleSharp.Configuration.Default.With<IDomConstructionElementFactory<Document, Element>>(_ => new Factory());

    /// A parser for these trees, with <paramref name="options"/>; one per thread, like AngleSharp's own (with a
    /// browsing context of its own: a context creates its services on first use, unguarded).
    public static HtmlParser Parser(HtmlParserOptions options) => new(options, BrowsingContext.New(Configuration));

    /// Parses the prescanned page <paramref name="input"/> with our own <see cref="PageParser"/> (unless the prescan
    /// met a tag it gives up on), or where it gives up, with <paramref name="parser"/> (from <see cref="Parser"/>), or,
    /// for the pages it cannot build as AngleSharp's DOM would be, with <paramref name="documentParser"/> into that DOM
    /// (kept as <see cref="Document.Dom"/>). The tree may read from its source until the prescan is disposed.
    public static Document Parse(HtmlParser parser, HtmlParser documentParser, HtmlPrescan.Result input)
    {
        var html = input.ParseInput;
        if (!input.UnbuiltTags && PageParser.TryParse(html) is { } parsed)
        {
            return parsed;
        }

        if (!html.Span.ContainsAny(TemplateTag))
        {
            var tree = parser.ParseDocument<Document, Element>(new TextSource(new ReadOnlyMemoryTextSource(html)));
            if (!tree.Misbuilt)
            {
                return tree;
            }

            tree.Dispose();
        }

        var dom = documentParser.ParseDocument(html);
        return Copy(dom);
    }

    /// An HTML element of <paramref name="document"/> as the factory makes one of that name (its class and flags).
    internal static Element CreateHtml(Document document, string name)
    {
        var nodes = document.Nodes;
        var tag = ElementFlags.Html(name);
        return tag.Id switch
        {
            TagId.Script => NodePool.Make(nodes.Scripts, document, name, NamespaceNames.HtmlUri, tag),
            TagId.Meta => NodePool.Make(nodes.Metas, document, name, NamespaceNames.HtmlUri, tag),
            TagId.Form => NodePool.Make(nodes.Forms, document, name, NamespaceNames.HtmlUri, tag),
            _ => NodePool.Make(nodes.Elements, document, name, NamespaceNames.HtmlUri, tag),
        };
    }

    /// An SVG element of <paramref name="document"/> named <paramref name="name"/> (its name adjusted already).
    internal static Element CreateSvg(Document document, string name)
    {
        return NodePool.Make(document.Nodes.Svgs, document, name, NamespaceNames.SvgUri, ElementFlags.Svg(name));
    }

    /// Gives back what AngleSharp's <paramref name="dom"/> holds of pooled buffers: its source and its tree builder
    /// (whose tokenizer's buffer is as long as the source). Not IDocument.Dispose, which also detaches every node one
    /// by one, walking the whole tree a second time to leave the garbage collector nothing it would not collect anyway.
    public static void Release(IDocument dom)
    {
        ((IConstructableDocument)dom).Builder?.Dispose();
        dom.Source.Dispose();
    }

    private static Document Copy(IHtmlDocument dom)
    {
        var tree = new Document(dom.Source) { Dom = dom };
        var stack = new Stack<(INode From, Node To)>();
        stack.Push((dom, tree));
        while (stack.TryPop(out var pair))
        {
            // A template's content is not among its child nodes, as in the tree.
            foreach (var child in pair.From.ChildNodes)
            {
                Node copy = child switch
                {
                    IElement element => Copy(tree, element),
                    IText text => tree.Nodes.Text(tree.Store, tree.AddText(text.Data)),
                    IComment => new Comment(),
                    _ => new DocumentType(child.NodeName),
                };
                pair.To.AddNode(copy);
                stack.Push((child, copy));
            }
        }

        return tree;
    }

    private static Element Copy(Document tree, IElement element)
    {
        var copy = NodePool.Make(tree.Nodes.Elements, tree, element.LocalName, element.NamespaceUri ?? string.Empty,
            Tag.Of(element.LocalName) with { Flags = ((IConstructableNode)element).Flags });
        foreach (var attribute in element.Attributes)
        {
            copy.AddAttribute(attribute.Name, attribute.LocalName, attribute.NamespaceUri, attribute.Value);
        }

        return copy;
    }

    /// The tree's root: the doctype, comments and the `html` element.
    internal sealed class Document(TextSource source) : Node, IConstructableDocument, IDisposable
    {
        private bool _disposed;

        /// The source the tree may read until disposed (with the document).
        public TextSource Source { get; } = source;

        public TextStore Store { get; } = new(source.Length);

        /// The characters of the tree's text nodes (the store also holds attribute values).
        public int TextLength { get; private set; }

        // Elements made so far, for the budget's check at every sixteenth.
        private int _elementsMade;

        /// Checks the extraction's budget at every sixteenth element made (counted here: a thread-static read and a
        /// call for every element were ~2% of a parse).
        public void ElementMade()
        {
            if ((++_elementsMade & 15) == 0)
            {
                HtmlExtractor.CheckBudget(every: 1);
            }
        }

        /// Stores the characters of a text node's run.
        public TextStore.Run AddText(ReadOnlySpan<char> text)
        {
            TextLength += text.Length;
            return Store.Add(text);
        }

        /// Where the tree's element and text nodes come from: its thread's pool, or one of its own.
        internal NodePool Nodes { get; } = NodePool.Take();

        /// AngleSharp's DOM of the page, when the tree was copied from it; else null.
        public IHtmlDocument? Dom { get; init; }

        /// Whether the builder placed an element after the root, where AngleSharp's DOM would have a foster parent.
        public bool Misbuilt { get; private set; }

        /// Whether a `base` element was made for the tree (every element is made by <see cref="NodePool.Make"/>):
        /// without one the walk need not search the tree for its href, nor the extractor the page's source for `<base`.
        public bool HasBase { get; internal set; }

        public override void AddNode(IConstructableNode node)
        {
            Misbuilt |= node is Element && Root is not null;
            base.AddNode(node);
        }

        /// The root element, if the page has one (every parsed page does).
        public Element? Root
        {
            get
            {
                for (var i = 0; i < ChildCount; i++)
                {
                    if (ChildAt(i) is Element { LocalName: "html" } element)
                    {
                        return element;
                    }
                }

                return null;
            }
        }

        public override StringOrMemory NodeName => "#document";

        /// The tree builder, whose tokenizer rents a buffer of the source's length from the shared pool: disposed with
        /// the document, or every page took one more page-sized buffer from the pool and left the garbage collector a
        /// large object (a third of the bytes an extraction allocated).
        IDisposable? IConstructableDocument.Builder { get; set; }

        QuirksMode IConstructableDocument.QuirksMode { get; set; }

        IConstructableElement? IConstructableDocument.Head
        {
            get
            {
                if (Root is not { } root)
                {
                    return null;
                }

                for (var i = 0; i < root.ChildCount; i++)
                {
                    if (root.ChildAt(i) is Element { LocalName: "head", IsHtml: true } head)
                    {
                        return head;
                    }
                }

                return null;
            }
        }

        IConstructableElement IConstructableDocument.DocumentElement => Root!;

        bool IConstructableDocument.IsLoading => false;

        void IConstructableDocument.PerformMicrotaskCheckpoint()
        {
        }

        void IConstructableDocument.ProvideStableState()
        {
        }

        void IConstructableDocument.AddComment(ref StructHtmlToken token) => AddNode(new Comment());

        void IConstructableDocument.TrackError(Exception exception)
        {
        }

        Task IConstructableDocument.WaitForReadyAsync(CancellationToken cancelToken) => Task.CompletedTask;

        Task IConstructableDocument.FinishLoadingAsync() => Task.CompletedTask;

        void IConstructableDocument.ApplyManifest()
        {
        }

        void IConstructableDocument.Clear() => Clear();

        /// Gives the source, the text store and the nodes back: nothing of the tree may be read after this.
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            ((IConstructableDocument)this).Builder?.Dispose();
            Source.Dispose();
            Store.Dispose();
            if (Dom is not null)
            {
                PageTree.Release(Dom);
            }

            Clear();
            Nodes.Return();
        }
    }

    /// A node; its children are kept in an array of its own, not a list object.
    internal abstract class Node : IConstructableNode, IConstructableNodeList
    {
        private Node[]? _children;

        public Node? Parent { get; private set; }

        public int ChildCount { get; private set; }

        public Node ChildAt(int index) => _children![index];

        public abstract StringOrMemory NodeName { get; }

        public virtual NodeFlags Flags => NodeFlags.None;

        IConstructableNode? IConstructableNode.Parent
        {
            get => Parent;
            set
            {
                if (value is not null)
                {
                    Parent = (Node)value;
                }
            }
        }

        IConstructableNodeList IConstructableNode.ChildNodes => this;

        int IConstructableNodeList.Length => ChildCount;

        IConstructableNode IConstructableNodeList.this[int index] => ChildAt(index);

        public void RemoveFromParent() => Parent?.RemoveChild(this);

        public void RemoveChild(IConstructableNode childNode)
        {
            var index = _children is null ? -1 : Array.IndexOf(_children, childNode, 0, ChildCount);
            if (index >= 0)
            {
                RemoveNode(index, childNode);
            }
        }

        public void RemoveNode(int idx, IConstructableNode childNode)
        {
            ((Node)childNode).Parent = null;
            ChildCount--;
            Array.Copy(_children!, idx + 1, _children!, idx, ChildCount - idx);
            _children![ChildCount] = null!;
        }

        public void InsertNode(int idx, IConstructableNode childNode)
        {
            var node = (Node)childNode;
            node.Parent = this;
            Reserve();
            Array.Copy(_children!, idx, _children!, idx + 1, ChildCount - idx);
            _children![idx] = node;
            ChildCount++;
        }

        public virtual void AddNode(IConstructableNode node)
        {
            var child = (Node)node;
            child.Parent = this;
            Reserve();
            _children![ChildCount++] = child;
        }

        // Whitespace-only runs are kept whatever the builder says (it says drop them to a tree of its generic kind, but
        // keeps them in AngleSharp's DOM): a run kept or dropped decides which runs end up in one text node.
        public void AppendText(StringOrMemory text, bool emitWhiteSpaceOnly) => AppendText(text.Memory.Span);

        /// Adds <paramref name="text"/> to the last child if that is text, else as a new text node.
        public void AppendText(ReadOnlySpan<char> text)
        {
            var document = OwnerDocument;
            var run = document.AddText(text);
            if (ChildCount > 0 && _children![ChildCount - 1] is Text last)
            {
                last.Append(run);
            }
            else
            {
                AddNode(document.Nodes.Text(document.Store, run));
            }
        }

        public void InsertText(int idx, StringOrMemory text, bool emitWhiteSpaceOnly)
        {
            var document = OwnerDocument;
            var run = document.AddText(text.Memory.Span);
            if (idx > 0 && idx <= ChildCount && _children![idx - 1] is Text before)
            {
                before.Append(run);
            }
            else if (idx >= 0 && idx < ChildCount && _children![idx] is Text after)
            {
                after.Prepend(run);
            }
            else
            {
                InsertNode(idx, document.Nodes.Text(document.Store, run));
            }
        }

        /// The document whose store keeps this node's text children's characters and whose pool makes them.
        private Document OwnerDocument => this as Document ?? ((Element)this).Owner;

        /// Ready to be taken again: no parent, no children, nothing of its page referenced (the pool's nodes live long,
        /// and a string of the last page they pointed to would live as long).
        internal virtual void Release()
        {
            Clear();
            Parent = null;
        }

        public void Clear()
        {
            for (var i = 0; i < ChildCount; i++)
            {
                _children![i] = null!;
            }

            ChildCount = 0;
        }

        void IConstructableNodeList.Clear() => Clear();

        public IEnumerator<IConstructableNode> GetEnumerator()
        {
            for (var i = 0; i < ChildCount; i++)
            {
                yield return _children![i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// The text of every text node below this one, in tree order.
        public void AppendTextTo(HtmlExtractor.TextBuffer buffer)
        {
            for (var i = 0; i < ChildCount; i++)
            {
                var child = _children![i];
                if (child is Text text)
                {
                    text.AppendTo(buffer);
                }
                else
                {
                    child.AppendTextTo(buffer);
                }
            }
        }

        private void Reserve()
        {
            if (_children is null)
            {
                _children = new Node[4];
            }
            else if (ChildCount == _children.Length)
            {
                Array.Resize(ref _children, ChildCount * 2);
            }
        }
    }

    /// A text node: the runs the tree builder appended to it, as places in the document's text store (a run that
    /// continues the one before in the store extends it), made a string only if someone asks for one.
    internal sealed class Text : Node
    {
        private TextStore _store = null!;
        private TextStore.Run _first;
        private List<TextStore.Run>? _more;

        internal void Init(TextStore store, TextStore.Run first)
        {
            _store = store;
            _first = first;
        }

        internal override void Release()
        {
            base.Release();
            _more?.Clear();
        }

        public override StringOrMemory NodeName => "#text";

        /// Whether the text is empty or only whitespace (as string.IsNullOrWhiteSpace says of the joined text).
        public bool IsWhiteSpace
        {
            get
            {
                if (!_store[_first].IsWhiteSpace())
                {
                    return false;
                }

                for (var i = 0; i < (_more?.Count ?? 0); i++)
                {
                    if (!_store[_more![i]].IsWhiteSpace())
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        public void Append(TextStore.Run run)
        {
            var last = _more is { Count: > 0 } more ? more[^1] : _first;
            if (last.IsFollowedBy(run))
            {
                last = last with { Length = last.Length + run.Length };
                if (_more is { Count: > 0 })
                {
                    _more[^1] = last;
                }
                else
                {
                    _first = last;
                }

                return;
            }

            (_more ??= []).Add(run);
        }

        public void Prepend(TextStore.Run run)
        {
            (_more ??= []).Insert(0, _first);
            _first = run;
        }

        public void AppendTo(HtmlExtractor.TextBuffer buffer)
        {
            buffer.Append(_store[_first]);
            for (var i = 0; i < (_more?.Count ?? 0); i++)
            {
                buffer.Append(_store[_more![i]]);
            }
        }
    }

    /// The characters of a tree's text nodes and attribute values, one after the other in a pooled buffer: a page's
    /// text is a few thousand runs and its attributes as many, most never needed as strings of their own (the walk
    /// copies the text into the page text and searches most values where they are). The buffer starts at a quarter of
    /// the source and doubles when needed: they are a fraction of a page's markup, and a buffer of the source's length
    /// held several times what most pages need for as long as the page was in hand.
    ///
    /// A store that may read the page itself (<see cref="Source"/>, our own parser's trees) keeps a run that is a slice
    /// of the page as its place there, not as a copy: only decoded text and values are copied, and the buffer is taken
    /// small, when the first of those comes.
    internal sealed class TextStore(int sourceLength) : IDisposable
    {
        private char[] _chars = [];
        private int _first = Math.Max(sourceLength / 4, 1024);
        private int _length;
        private ReadOnlyMemory<char> _source;

        /// The page the tree was parsed from, readable as long as the store is (see <see cref="PageTree.Parse"/>).
        public ReadOnlyMemory<char> Source
        {
            get => _source;
            set
            {
                _source = value;
                _first = 1024;
            }
        }

        /// The characters copied into the store.
        public int Copied => _length;

        public ReadOnlySpan<char> this[Run run] =>
            run.Start >= 0 ? _chars.AsSpan(run.Start, run.Length) : _source.Span.Slice(~run.Start, run.Length);

        public Run Add(ReadOnlySpan<char> text)
        {
            if (!_source.IsEmpty && _source.Span.Overlaps(text, out var offset) && offset >= 0 && offset + text.Length <= _source.Length)
            {
                return new Run(~offset, text.Length);
            }

            if (_length + text.Length > _chars.Length)
            {
                var larger = ArrayPool<char>.Shared.Rent(Math.Max(Math.Max(_chars.Length * 2, _first), _length + text.Length));
                _chars.AsSpan(0, _length).CopyTo(larger);
                if (_chars.Length > 0)
                {
                    ArrayPool<char>.Shared.Return(_chars);
                }

                _chars = larger;
            }

            text.CopyTo(_chars.AsSpan(_length));
            _length += text.Length;
            return new Run(_length - text.Length, text.Length);
        }

        public void Dispose()
        {
            if (_chars.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_chars);
            }

            _chars = [];
            _source = default;
        }

        /// Characters of the store from <see cref="Start"/> on, or of the source from its complement (a negative start).
        public readonly record struct Run(int Start, int Length)
        {
            /// Whether <paramref name="next"/> starts where this run ends, in the same place (store or source).
            public bool IsFollowedBy(Run next) =>
                Start >= 0 ? next.Start == Start + Length : next.Start < 0 && ~next.Start == ~Start + Length;
        }
    }

    /// The element and text nodes of the trees a thread builds, kept from page to page. A page is thousands of nodes,
    /// each with a child array and most with an attribute array, and making them anew for every page was a third of the
    /// bytes an extraction allocated (ShippedRules), and so of the gen0 collections the lane's threads run themselves.
    /// A tree takes its thread's pool when it is made and gives it back when disposed; a tree made while another is
    /// alive on the thread gets a pool of its own. Nothing of a disposed tree may be read, and nothing read from a tree
    /// points into it (what the walk keeps are strings), so an extraction's result never sees the nodes reused.
    internal sealed class NodePool
    {
        /// A pool grown past this many nodes by a huge page is dropped rather than kept for the thread's life (a
        /// 250 KB page has a few thousand).
        internal const int MaxNodesKept = 32_768;

        [ThreadStatic]
        private static NodePool? t_free;

        public Stock<Element> Elements { get; } = new();

        public Stock<ScriptElement> Scripts { get; } = new();

        public Stock<MetaElement> Metas { get; } = new();

        public Stock<FormElement> Forms { get; } = new();

        public Stock<FrameElement> Frames { get; } = new();

        public Stock<TemplateElement> Templates { get; } = new();

        public Stock<MathElement> Maths { get; } = new();

        public Stock<SvgElement> Svgs { get; } = new();

        public Stock<Text> Texts { get; } = new();

        /// The thread's pool if no tree has it, else a new one.
        public static NodePool Take()
        {
            var pool = t_free ?? new NodePool();
            t_free = null;
            return pool;
        }

        public static T Make<T>(Stock<T> stock, Document owner, string localName, string namespaceUri, Tag tag)
            where T : Element, new()
        {
            var element = stock.Take();
            element.Init(owner, localName, namespaceUri, tag);
            owner.HasBase |= tag.Id == TagId.Base;
            owner.ElementMade();
            return element;
        }

        public Text Text(TextStore store, TextStore.Run first)
        {
            var text = Texts.Take();
            text.Init(store, first);
            return text;
        }

        /// Releases every node taken and, unless it grew too large, makes this the thread's pool again.
        public void Return()
        {
            var kept = Elements.Release() + Scripts.Release() + Metas.Release() + Forms.Release() + Frames.Release()
                + Templates.Release() + Maths.Release() + Svgs.Release() + Texts.Release();
            if (kept <= MaxNodesKept)
            {
                t_free = this;
            }
        }

        /// The nodes of one kind: those taken (the first <see cref="Taken"/>) and those waiting.
        internal sealed class Stock<T>
            where T : Node, new()
        {
            private readonly List<T> _nodes = [];

            public int Taken { get; private set; }

            public T Take()
            {
                if (Taken == _nodes.Count)
                {
                    _nodes.Add(new T());
                }

                return _nodes[Taken++];
            }

            /// Releases the nodes taken; how many nodes the stock holds.
            public int Release()
            {
                for (var i = 0; i < Taken; i++)
                {
                    _nodes[i].Release();
                }

                Taken = 0;
                return _nodes.Count;
            }
        }
    }

    /// A comment (its text is never kept): a node of its own, as in AngleSharp's DOM, so text on either side of it
    /// stays in two text nodes.
    internal sealed class Comment : Node
    {
        public override StringOrMemory NodeName => "#comment";
    }

    internal sealed class DocumentType(string name) : Node
    {
        public override StringOrMemory NodeName => name;
    }

    /// An element with its attributes in order, as the tree builder set them.
    internal class Element : Node, IConstructableElement, IConstructableNamedNodeMap
    {
        // The tree builder asks for the name at every step of its scope checks: one StringOrMemory made once.
        private StringOrMemory _localName;
        private Attribute[] _attributes = [];
        private int _attributeCount;
        private NodeFlags _flags;

        public Document Owner { get; private set; } = null!;

        /// What the parser's rules and the walk ask of the element's name (<see cref="Tag"/>).
        public TagKind Kind { get; private set; }

        /// Which of the elements the walk reads this is, by name (<see cref="Tag"/>); the walk asks only of HTML elements.
        public TagId Id { get; private set; }

        public string LocalName { get; private set; } = string.Empty;

        public string NamespaceUri { get; private set; } = string.Empty;

        public bool IsHtml => ReferenceEquals(NamespaceUri, NamespaceNames.HtmlUri);

        public override NodeFlags Flags => _flags;

        /// Makes this (new or released) node an element of <paramref name="owner"/>, without attributes or children.
        internal void Init(Document owner, string localName, string namespaceUri, Tag tag)
        {
            Owner = owner;
            LocalName = localName;
            _localName = localName;
            NamespaceUri = namespaceUri;
            _flags = tag.Flags;
            Kind = tag.Kind;
            Id = tag.Id;
        }

        internal override void Release()
        {
            base.Release();
            Array.Clear(_attributes, 0, _attributeCount);
            _attributeCount = 0;
            HasShadowRoot = false;
            ((IConstructableElement)this).SourceReference = null;
            Owner = null!;
        }

        public override StringOrMemory NodeName => LocalName;

        public int AttributeCount => _attributeCount;

        /// Whether a declarative shadow root was attached here (one at most, as AngleSharp's DOM allows).
        public bool HasShadowRoot { get; set; }

        StringOrMemory IConstructableElement.NamespaceUri => NamespaceUri;

        StringOrMemory IConstructableElement.LocalName => _localName;

        StringOrMemory IConstructableElement.Prefix => StringOrMemory.Empty;

        IConstructableNamedNodeMap IConstructableElement.Attributes => this;

        ISourceReference? IConstructableElement.SourceReference { get; set; }

        int IConstructableNamedNodeMap.Length => _attributeCount;

        IConstructableAttr? IConstructableNamedNodeMap.this[StringOrMemory name] =>
            IndexOf(name.Memory.Span) is var index and >= 0 ? new AttributeView(this, index) : null;

        public string AttributeName(int index) => _attributes[index].Name;

        public ReadOnlySpan<char> AttributeValue(int index) => Owner.Store[_attributes[index].Value];

        /// The value of the first attribute named <paramref name="name"/>; empty if there is none.
        public ReadOnlySpan<char> AttributeValue(string name) => IndexOf(name) is var index and >= 0 ? AttributeValue(index) : [];

        /// The value of the first attribute named <paramref name="name"/>, when there is one (an empty value counts).
        public bool TryGetAttribute(string name, out ReadOnlySpan<char> value)
        {
            var index = IndexOf(name);
            value = index >= 0 ? AttributeValue(index) : [];
            return index >= 0;
        }

        /// The value of the first attribute named <paramref name="name"/>, or null.
        public string? GetAttribute(string name) => IndexOf(name) is var index and >= 0 ? AttributeValue(index).ToString() : null;

        public void SetAttributes(StructAttributes tagAttributes)
        {
            var count = tagAttributes.Count;
            if (count == 0)
            {
                return;
            }

            if (_attributeCount + count > _attributes.Length)
            {
                Array.Resize(ref _attributes, _attributeCount + count);
            }

            for (var i = 0; i < count; i++)
            {
                var attribute = tagAttributes[i];
                var name = attribute.Name.ToString();
                _attributes[_attributeCount++] = new Attribute(name, name, null, Owner.Store.Add(attribute.Value.Memory.Span));
            }
        }

        // As AngleSharp's attribute map: an attribute of the same local name and namespace is replaced.
        public void SetOwnAttribute(StringOrMemory name, StringOrMemory value)
        {
            var local = name.ToString();
            for (var i = 0; i < _attributeCount; i++)
            {
                if (_attributes[i].LocalName == local && _attributes[i].NamespaceUri is null)
                {
                    _attributes[i] = new Attribute(local, local, null, Owner.Store.Add(value.Memory.Span));
                    return;
                }
            }

            Add(new Attribute(local, local, null, Owner.Store.Add(value.Memory.Span)));
        }

        // As AngleSharp's attribute map: the qualified name is split at its colon, and an attribute of the same
        // qualified name is replaced.
        public void SetAttribute(string? ns, StringOrMemory name, StringOrMemory value)
        {
            var qualified = name.ToString();
            var colon = qualified.IndexOf(':', StringComparison.Ordinal);
            var local = colon > 0 ? qualified[(colon + 1)..] : qualified;
            var attribute = new Attribute(qualified, local, string.IsNullOrEmpty(ns) ? null : ns, Owner.Store.Add(value.Memory.Span));
            if (IndexOf(qualified) is var index and >= 0)
            {
                _attributes[index] = attribute;
            }
            else
            {
                Add(attribute);
            }
        }

        public StringOrMemory GetAttribute(StringOrMemory @namespace, StringOrMemory name)
        {
            var ns = @namespace.IsNullOrEmpty ? null : @namespace.ToString();
            var local = name.Memory.Span;
            for (var i = 0; i < _attributeCount; i++)
            {
                if (local.SequenceEqual(_attributes[i].LocalName) && _attributes[i].NamespaceUri == ns)
                {
                    return AttributeValue(i).ToString();
                }
            }

            return StringOrMemory.Empty;
        }

        public bool HasAttribute(StringOrMemory name) => IndexOf(name.Memory.Span) >= 0;

        void IConstructableElement.SetupElement()
        {
        }

        void IConstructableElement.AddComment(ref StructHtmlToken token) => AddNode(new Comment());

        IConstructableNode IConstructableElement.ShallowCopy()
        {
            var copy = NodePool.Make(Owner.Nodes.Elements, Owner, LocalName, NamespaceUri, new Tag(Flags, Kind, Id));
            for (var i = 0; i < _attributeCount; i++)
            {
                copy.Add(_attributes[i]);
            }

            return copy;
        }

        bool IConstructableNamedNodeMap.SameAs(IConstructableNamedNodeMap? attributes)
        {
            if (attributes is not Element other || other._attributeCount != _attributeCount)
            {
                return false;
            }

            for (var i = 0; i < _attributeCount; i++)
            {
                var index = other.IndexOf(_attributes[i].Name);
                if (index < 0 || !other.AttributeValue(index).SequenceEqual(AttributeValue(i)))
                {
                    return false;
                }
            }

            return true;
        }

        /// The walk's lookups: a name the parser kept is the same string, and a string compare is cheaper than a span's.
        private int IndexOf(string name)
        {
            for (var i = 0; i < _attributeCount; i++)
            {
                if (_attributes[i].Name == name)
                {
                    return i;
                }
            }

            return -1;
        }

        private int IndexOf(ReadOnlySpan<char> name)
        {
            for (var i = 0; i < _attributeCount; i++)
            {
                if (name.SequenceEqual(_attributes[i].Name))
                {
                    return i;
                }
            }

            return -1;
        }

        public void AddAttribute(string name, string localName, string? namespaceUri, string value) =>
            Add(new Attribute(name, localName, namespaceUri, Owner.Store.Add(value)));

        /// Adds an attribute of no namespace, as the tokenizer gives them.
        public void AddAttribute(string name, ReadOnlySpan<char> value) => Add(new Attribute(name, name, null, Owner.Store.Add(value)));

        private void Add(Attribute attribute)
        {
            if (_attributeCount == _attributes.Length)
            {
                Array.Resize(ref _attributes, Math.Max(4, _attributeCount * 2));
            }

            _attributes[_attributeCount++] = attribute;
        }

        /// An attribute; its value is kept in the document's text store, like text: most values (classes, ids, styles)
        /// are only searched by the walk, and a string of each was a tenth of the bytes an extraction allocated.
        private readonly record struct Attribute(string Name, string LocalName, string? NamespaceUri, TextStore.Run Value);

        private sealed class AttributeView(Element element, int index) : IConstructableAttr
        {
            public StringOrMemory Name => element._attributes[index].Name;

            public StringOrMemory Value
            {
                get => element.AttributeValue(index).ToString();
                set => element._attributes[index] = element._attributes[index] with { Value = element.Owner.Store.Add(value.Memory.Span) };
            }
        }
    }

    // The kinds of element the tree builder tells apart by type.
    internal sealed class ScriptElement : Element, IConstructableScriptElement
    {
        public bool Prepare(IConstructableDocument document) => false;

        public Task RunAsync(CancellationToken cancel) => Task.CompletedTask;
    }

    internal sealed class MetaElement : Element, IConstructableMetaElement
    {
        public void Handle()
        {
        }
    }

    internal sealed class FormElement : Element, IConstructableFormElement;

    internal sealed class FrameElement : Element, IConstructableFrameElement;

    internal sealed class MathElement : Element, IConstructableMathElement;

    internal sealed class SvgElement : Element, IConstructableSvgElement;

    /// A template's content is not part of the tree (AngleSharp moves it into a fragment); a template declaring a
    /// shadow root leaves the tree with it, where its parent may take one.
    internal sealed class TemplateElement : Element, IConstructableTemplateElement
    {
        private static readonly FrozenSet<string> NoShadowRoot =
            FrozenSet.Create(StringComparer.Ordinal, "button", "details", "input", "marquee", "meter", "progress", "select", "textarea", "keygen");

        public void PopulateFragment()
        {
            Clear();
            var mode = GetAttribute("shadowrootmode");
            if (Parent is Element { HasShadowRoot: false } host && !NoShadowRoot.Contains(host.LocalName)
                && (string.Equals(mode, "open", StringComparison.OrdinalIgnoreCase) || string.Equals(mode, "closed", StringComparison.OrdinalIgnoreCase)))
            {
                host.HasShadowRoot = true;
                host.RemoveChild(this);
            }
        }
    }

    /// Elements as AngleSharp's factories make them, flags included; the budget is checked as elements are made. Well-known
    /// tag and attribute names come from the tokenizer as the strings AngleSharp keeps for them (ToString returns those).
    private sealed class Factory : IDomConstructionElementFactory<Document, Element>
    {
        public Element Create(Document document, StringOrMemory localName, StringOrMemory prefix = default, NodeFlags flags = NodeFlags.None)
        {
            var name = localName.ToString();
            return NodePool.Make(document.Nodes.Elements, document, name, NamespaceNames.HtmlUri, ElementFlags.Html(name));
        }

        public Element CreateNoScript(Document document, bool scripting) => Create(document, "noscript");

        public IConstructableNode CreateDocumentType(Document document, StringOrMemory name, StringOrMemory publicIdentifier, StringOrMemory systemIdentifier) =>
            new DocumentType(name.ToString());

        public IConstructableMathElement CreateMath(Document document, StringOrMemory name = default)
        {
            var local = name.ToString();
            return NodePool.Make(document.Nodes.Maths, document, local, NamespaceNames.MathMlUri, ElementFlags.Math(local));
        }

        public IConstructableSvgElement CreateSvg(Document document, StringOrMemory name = default)
        {
            var local = name.ToString();
            return NodePool.Make(document.Nodes.Svgs, document, local, NamespaceNames.SvgUri, ElementFlags.Svg(local));
        }

        public IConstructableMetaElement CreateMeta(Document document) => Html(document.Nodes.Metas, document, "meta");

        public IConstructableScriptElement CreateScript(Document document, bool parserInserted, bool started) =>
            Html(document.Nodes.Scripts, document, "script");

        public IConstructableFrameElement CreateFrame(Document document) => Html(document.Nodes.Frames, document, "frame");

        public IConstructableTemplateElement CreateTemplate(Document document) => Html(document.Nodes.Templates, document, "template");

        public IConstructableFormElement CreateForm(Document document) => Html(document.Nodes.Forms, document, "form");

        public Element CreateUnknown(Document document, StringOrMemory tagName) =>
            NodePool.Make(document.Nodes.Elements, document, tagName.ToString(), NamespaceNames.HtmlUri, ElementFlags.UnknownHtml(tagName.ToString()));

        private static T Html<T>(NodePool.Stock<T> stock, Document document, string name)
            where T : Element, new() => NodePool.Make(stock, document, name, NamespaceNames.HtmlUri, ElementFlags.Html(name));

        public Document CreateDocument(TextSource source, IBrowsingContext? context = null) => new(source);
    }

    /// The flags AngleSharp's DOM gives an element of each name it knows, read once from elements it makes, with the
    /// name's <see cref="Tag"/>; a name it does not know gets what its unknown element of that namespace has.
    private static class ElementFlags
    {
        private static readonly FrozenDictionary<string, Tag> HtmlTags;
        private static readonly FrozenDictionary<string, Tag> SvgTags;
        private static readonly FrozenDictionary<string, Tag> MathTags;
        private static readonly NodeFlags UnknownHtmlFlags;
        private static readonly NodeFlags UnknownSvg;
        private static readonly NodeFlags UnknownMath;

        static ElementFlags()
        {
            var document = new HtmlParser().ParseDocument(string.Empty);
            var names = typeof(TagNames).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.FieldType == typeof(string)).Select(f => (string)f.GetValue(null)!)
                .Where(n => n.Length > 0 && char.IsAsciiLetter(n[0]) && n.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')).Distinct().ToList();
            Tag Of(string? ns, string name) =>
                Tag.Of(name) with { Flags = ((IConstructableNode)(ns is null ? document.CreateElement(name) : document.CreateElement(ns, name))).Flags };
            HtmlTags = names.ToFrozenDictionary(n => n, n => Of(null, n), StringComparer.Ordinal);
            SvgTags = names.ToFrozenDictionary(n => n, n => Of(NamespaceNames.SvgUri, n), StringComparer.Ordinal);
            MathTags = names.ToFrozenDictionary(n => n, n => Of(NamespaceNames.MathMlUri, n), StringComparer.Ordinal);
            UnknownHtmlFlags = Of(null, "scrapersky-unknown").Flags;
            UnknownSvg = Of(NamespaceNames.SvgUri, "scraperskyunknown").Flags;
            UnknownMath = Of(NamespaceNames.MathMlUri, "scraperskyunknown").Flags;
        }

        public static Tag UnknownHtml(string name) => Tag.Of(name) with { Flags = UnknownHtmlFlags };

        public static Tag Html(string name) => HtmlTags.TryGetValue(name, out var tag) ? tag : UnknownHtml(name);

        public static Tag Svg(string name) => SvgTags.TryGetValue(name, out var tag) ? tag : Tag.Of(name) with { Flags = UnknownSvg };

        public static Tag Math(string name) => MathTags.TryGetValue(name, out var tag) ? tag : Tag.Of(name) with { Flags = UnknownMath };
    }

    /// An element's AngleSharp flags and what the parser and the walk ask of its name, worked out once per name: the
    /// parser's scope searches asked each open element's name at every level for every tag, and the walk every
    /// element's name a dozen times, by string compares.
    internal readonly record struct Tag(NodeFlags Flags, TagKind Kind, TagId Id)
    {
        /// The kind and id of an element named <paramref name="name"/> (no flags).
        public static Tag Of(string name) => new(NodeFlags.None, KindOf(name), IdOf(name));

        private static TagKind KindOf(string name)
        {
            var kind = TagKind.None;
            kind |= name is "address" or "applet" or "area" or "article" or "aside" or "base"
                or "basefont" or "bgsound" or "blockquote" or "body" or "br" or "button" or "caption" or "center" or "col" or "colgroup"
                or "dd" or "details" or "dir" or "div" or "dl" or "dt" or "embed" or "fieldset" or "figcaption" or "figure" or "footer"
                or "form" or "frame" or "frameset" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "head" or "header" or "hgroup"
                or "hr" or "html" or "iframe" or "img" or "input" or "keygen" or "li" or "link" or "listing" or "main" or "marquee"
                or "menu" or "meta" or "nav" or "noembed" or "noframes" or "noscript" or "object" or "ol" or "p" or "param"
                or "plaintext" or "pre" or "script" or "search" or "section" or "select" or "source" or "style" or "summary" or "table"
                or "tbody" or "td" or "template" or "textarea" or "tfoot" or "th" or "thead" or "title" or "tr" or "track" or "ul"
                or "wbr" or "xmp" ? TagKind.Special : 0;
            kind |= name is "html" or "table" or "td" or "th" ? TagKind.ScopeBoundary : 0;
            kind |= name is "button" ? TagKind.Button : 0;
            kind |= name is "ol" or "ul" ? TagKind.List : 0;
            kind |= name is "h1" or "h2" or "h3" or "h4" or "h5" or "h6" ? TagKind.Heading : 0;
            kind |= name is "dd" or "dt" or "li" or "p" ? TagKind.ImpliedEnd : 0;
            kind |= name is "p" or "div" or "li" or "br" or "tr" or "td" or "th" or "h1" or "h2"
                or "h3" or "h4" or "h5" or "h6" or "section" or "article" or "header" or "footer" or "address" or "dd" or "dt"
                or "ul" or "ol" or "table" or "nav" or "aside" or "main" or "form" or "button" or "option" or "blockquote"
                or "figure" or "figcaption" or "body" or "head" or "title" ? TagKind.Block : 0;
            kind |= name is "script" or "style" or "template" ? TagKind.Opaque : 0;
            return kind;
        }

        private static TagId IdOf(string name) => name switch
        {
            "html" => TagId.Html,
            "title" => TagId.Title,
            "meta" => TagId.Meta,
            "link" => TagId.Link,
            "style" => TagId.Style,
            "script" => TagId.Script,
            "img" => TagId.Img,
            "form" => TagId.Form,
            "a" => TagId.A,
            "header" => TagId.Header,
            "footer" => TagId.Footer,
            "nav" => TagId.Nav,
            "address" => TagId.Address,
            "base" => TagId.Base,
            _ => TagId.Other,
        };
    }

    /// What the parser's tree rules and the walk ask of an element's name (<see cref="Tag"/>).
    [Flags]
    internal enum TagKind
    {
        None = 0,

        /// The HTML standard's special elements (they stop the search of an end tag that closes nothing special).
        Special = 1,

        /// html, table, td and th: where the parser's scope searches stop (it gives up on the other boundaries).
        ScopeBoundary = 2,

        /// button, the boundary of button scope.
        Button = 4,

        /// ol and ul, the boundaries of list item scope.
        List = 8,

        Heading = 16,

        /// dd, dt, li and p: closed by implied end tags.
        ImpliedEnd = 32,

        /// An element the walk ends with a line break.
        Block = 64,

        /// script, style and template: the walk does not go into them.
        Opaque = 128,
    }

    /// The elements the walk reads by name.
    internal enum TagId : byte
    {
        Other,
        Html,
        Title,
        Meta,
        Link,
        Style,
        Script,
        Img,
        Form,
        A,
        Header,
        Footer,
        Nav,
        Address,
        Base,
    }
}
