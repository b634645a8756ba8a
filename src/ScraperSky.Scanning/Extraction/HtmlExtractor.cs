using System.Buffers;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ScraperSky.Scanning.Fetching;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Extraction;

/// Reads one fetched page: a single parse (AngleSharp's tree builder, into a <see cref="PageTree"/>) and a single walk
/// over the tree gather the metadata, contacts, social profiles, performance counts and the signals the fingerprint
/// matcher needs. Each page runs within a CPU budget and a cancellation token (see HtmlExtractor.Budget.cs).
public sealed partial class HtmlExtractor(FingerprintMatcher matcher)
{
    private const int MaxTextChars = 400_000;
    private const int MaxLinks = 5_000;
    private const int MaxContactBlocks = 64;

    // Nothing here needs source positions or comments' text; dropping them makes the tokenizer measurably cheaper.
    // OnCreated checks the budget as AngleSharp's DOM is built (for DOM fingerprint rules); a PageTree checks it itself.
    internal static readonly HtmlParserOptions ParserOptions = new()
    {
        IsScripting = false,
        DisableElementPositionTracking = true,
        SkipComments = true,
        OnCreated = OnCreated,
    };

    // A parser builds its own browsing context and configuration, a measurable share of a page's time; one per thread
    // serves every page that thread extracts (a parser is not safe to share between threads). The second builds
    // AngleSharp's DOM, for the pages whose DOM fingerprint rules may match.
    [ThreadStatic]
    private static HtmlParser? t_parser;

    [ThreadStatic]
    private static HtmlParser? t_documentParser;

    private PageExtraction ExtractPage(FetchedPage page, string? siteRegion, bool links, CpuBudget budget)
    {
        // The tree may read its source until it is disposed, so the pooled input outlives it.
        using var prescan = HtmlPrescan.Prepare(page.Html.Memory, budget);
        var documentParser = t_documentParser ??= new HtmlParser(ParserOptions);
        var tree = PageTree.Parse(t_parser ??= PageTree.Parser(ParserOptions), documentParser, prescan);
        using var treeLifetime = tree;
        using var walk = new PageWalk(page.FinalUrl, expectedTextChars: tree.TextLength, links);
        walk.Visit(tree);

        var baseUrl = walk.BaseUrl;
        var title = Clean(walk.Title) ?? Clean(walk.MetaContent("og:title")) ?? Clean(walk.MetaContent("twitter:title"));
        var description = Clean(walk.MetaContent("description")) ?? Clean(walk.MetaContent("og:description"))
            ?? Clean(walk.MetaContent("twitter:description"));
        var (language, languageSource) = PageLanguage.Resolve(
            new(walk.HtmlLang, walk.ContentLanguage, HeaderValue(page, "Content-Language"), walk.MetaContent("og:locale"), walk.Json.InLanguage),
            walk.Text.Span);

        var text = walk.Text.Span;
        var isLegalNotice = ContactPageSelector.IsLegalNotice(page.FinalUrl, title);
        var blocks = new List<string>(walk.ContactBlocks.Count);
        foreach (var block in walk.ContactBlocks)
        {
            blocks.Add(text[block].ToString());
        }

        var company = CompanyFinder.Find(text, blocks, isLegalNotice, walk.Json,
            RegionHints.Infer(page.FinalUrl, addressCountry: null, language), page.FinalUrl.AbsoluteUri);
        var region = RegionHints.Infer(page.FinalUrl, walk.Json.Country ?? company?.Address?.Country, language) ?? siteRegion;
        var emails = new List<string>();
        foreach (var href in walk.MailtoLinks)
        {
            EmailFinder.FromMailto(href, emails);
        }

        foreach (var email in walk.Json.Emails)
        {
            EmailFinder.FindIn(email.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? email[7..] : email, emails);
        }

        foreach (var decoded in walk.CloudflareEmails)
        {
            EmailFinder.FindIn(decoded, emails);
        }

        EmailFinder.FindIn(text, emails);
        foreach (var value in walk.AttributeTexts)
        {
            EmailFinder.FindIn(value, emails);
        }

        var phones = new List<PhoneNumberInfo>();
        foreach (var href in walk.TelLinks)
        {
            AddPhone(phones, PhoneFinder.TryParseTel(href, region, out var phone) ? phone : null);
        }

        foreach (var telephone in walk.Json.Telephones)
        {
            AddPhone(phones, PhoneFinder.TryParse(telephone, region, out var phone) ? phone : null);
        }

        // On a legal notice every number is the business's own, as in its address and footer blocks.
        PhoneFinder.FindIn(text, region, phones, isLegalNotice ? [Range.All] : walk.ContactBlocks);

        var social = new SocialCandidates();
        foreach (var sameAs in walk.Json.SameAs)
        {
            social.Add(sameAs, weight: 3);
        }

        foreach (var (url, inChrome) in walk.SocialLinkCandidates)
        {
            social.Add(url, weight: inChrome ? 2 : 1);
        }

        budget.Check();
        var logo = Resolve(baseUrl, walk.Json.LogoUrl()) ?? walk.HeaderLogo ?? walk.OtherLogo
            ?? Resolve(baseUrl, walk.MetaContent("og:image"));

        // A DOM parsed here for the DOM rules is released as the tree's is (PageTree.Release), not disposed.
        IDocument? document = tree.Dom;
        IReadOnlyList<DetectedTechnology> technologies;
        try
        {
            technologies = matcher.Detect(new PageSignals
            {
                Url = page.FinalUrl.AbsoluteUri,
                Html = page.Html.Memory,
                ScriptSources = walk.ScriptSources,
                InlineScripts = prescan.InlineScripts,
                Meta = walk.Meta,
                Headers = page.Headers,
                Document = () => document ??= documentParser.ParseDocument(prescan.ParseInput),
            });
        }
        finally
        {
            if (document is not null && document != tree.Dom)
            {
                PageTree.Release(document);
            }
        }

        return new PageExtraction
        {
            Page = page,
            Title = title,
            Description = description,
            Language = language,
            LanguageSource = languageSource,
            FaviconUrl = walk.Favicon,
            LogoUrl = logo,
            Emails = emails,
            Phones = phones,
            SocialLinks = social.Best(),
            SocialProfileUrls = social.All(),
            Company = company,
            IsLegalNotice = isLegalNotice,
            Technologies = technologies,
            Performance = walk.Performance(),
            Region = region,
            Links = walk.Links,
        };
    }

    private static void AddPhone(List<PhoneNumberInfo> phones, PhoneNumberInfo? phone)
    {
        if (phone is not null && !phones.Any(p => p.E164 == phone.E164))
        {
            phones.Add(phone);
        }
    }

    // Already trimmed, with single spaces as its only whitespace: most values are, and need no copy. Only characters
    // outside `!` to U+0084 can be whitespace, so the check hops from space to space rather than asking of each.
    private static bool IsClean(string value)
    {
        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return false;
        }

        var at = value.AsSpan().IndexOfAnyExceptInRange('!', '\u0084');
        while (at >= 0)
        {
            var c = value[at];
            if (char.IsWhiteSpace(c) && (c != ' ' || value[at + 1] == ' '))
            {
                return false;
            }

            var next = value.AsSpan(at + 1).IndexOfAnyExceptInRange('!', '\u0084');
            at = next < 0 ? -1 : at + 1 + next;
        }

        return true;
    }

    private static string? HeaderValue(FetchedPage page, string name) =>
        page.Headers.TryGetValue(name, out var values) && values.Count > 0 ? Clean(values[0]) : null;

    internal static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (IsClean(value))
        {
            return value;
        }

        char[]? rented = null;
        var buffer = value.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        var clean = new string(buffer[..CollapseWhiteSpace(value, buffer)]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return clean;
    }

    /// <paramref name="value"/> trimmed, each run of whitespace in it made one space, written to <paramref name="into"/>
    /// (which may be <paramref name="value"/> itself: nothing is written past what was read); returns the length.
    internal static int CollapseWhiteSpace(ReadOnlySpan<char> value, Span<char> into)
    {
        var written = 0;
        var space = false;
        foreach (var c in value.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                into[written++] = ' ';
                space = false;
            }

            into[written++] = c;
        }

        return written;
    }

    /// An absolute http(s) URL for <paramref name="raw"/> against the page's base, or null.
    internal static string? Resolve(Uri baseUrl, string? raw) => ResolveUri(baseUrl, raw)?.AbsoluteUri;

    internal static Uri? ResolveUri(Uri baseUrl, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        raw = raw.Trim();
        if (raw.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || raw.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)
            || raw.StartsWith('#'))
        {
            return null;
        }

        return Uri.TryCreate(baseUrl, raw, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;
    }

    // What a Uri writes as it is in a path and query (no `%`, `#`, `\`, space or letter beyond ASCII), and in a host.
    private static readonly SearchValues<char> KeptInPath =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?");

    private static readonly SearchValues<char> KeptInHost = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-.");

    /// <see cref="Resolve"/> of <paramref name="raw"/>, or <paramref name="raw"/> itself where that is null, without
    /// building a Uri where the answer is written already: an absolute http(s) URL, or a path from the root after the
    /// base's scheme and authority (<paramref name="origin"/>, kept by the caller), each of characters a Uri keeps as
    /// they are. Most script sources are one or the other, and a Uri for each was an eighth of the walk.
    internal static string ResolveOrKeep(Uri baseUrl, string raw, ref string? origin)
    {
        if (IsWrittenAbsolute(raw))
        {
            return raw;
        }

        if (IsWrittenPath(raw))
        {
            origin ??= Resolve(baseUrl, "/") is { } root ? root[..^1] : string.Empty;
            if (origin.Length > 0)
            {
                return string.Concat(origin, raw);
            }
        }

        return Resolve(baseUrl, raw) ?? raw;
    }

    /// Whether <see cref="ResolveOrKeep"/> takes <paramref name="raw"/> as it is written (after the base's origin).
    internal static bool IsWrittenAsResolved(ReadOnlySpan<char> raw) => IsWrittenAbsolute(raw) || IsWrittenPath(raw);

    /// A path from the root that a Uri writes as it is: no dot segment, no empty one, nothing it escapes.
    private static bool IsWrittenPath(ReadOnlySpan<char> path) =>
        path is ['/', ..] && !path.ContainsAnyExcept(KeptInPath) && !path.Contains("/.", StringComparison.Ordinal)
        && !path.Contains("//", StringComparison.Ordinal);

    /// An http(s) URL that a Uri writes as it is: a lower-case scheme and host name (no port, no user, not an address)
    /// and a path as in <see cref="IsWrittenPath"/>.
    private static bool IsWrittenAbsolute(ReadOnlySpan<char> url)
    {
        var rest = url.StartsWith("https://", StringComparison.Ordinal) ? url[8..]
            : url.StartsWith("http://", StringComparison.Ordinal) ? url[7..]
            : [];
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var host = rest[..slash];
        var lastLabel = host[(host.LastIndexOf('.') + 1)..];
        return !host.ContainsAnyExcept(KeptInHost) && char.IsAsciiLetterOrDigit(host[0])
            && !host.Contains("..", StringComparison.Ordinal) && lastLabel is [>= 'a' and <= 'z', ..]
            && IsWrittenPath(rest[slash..]);
    }

    /// The tree walk. Kept separate from <see cref="Extract"/> so the walk itself reads as a list of element rules.
    /// <param name="expectedTextChars">About the page's text: the characters of its tree's text nodes, of which the
    /// walk keeps all but whitespace, scripts and styles and adds a line break per block. The text buffer is taken
    /// at that size (rarely outgrown) rather than at the page's: text is a fraction of a page's markup.</param>
    /// <param name="links">Whether to gather <see cref="Links"/>.</param>
    internal sealed class PageWalk(Uri finalUrl, int expectedTextChars = 0, bool links = true) : IDisposable
    {
        /// The walk's stack is kept per thread (regrown for every page it was 4% of the bytes an extraction allocated)
        /// unless a page made it larger than this.
        private const int MaxStackKept = 4096;

        [ThreadStatic]
        private static Stack<Frame>? t_stack;

        private readonly Dictionary<string, string> _firstMeta = new(StringComparer.Ordinal);
        private readonly List<(string Rel, string Href)> _icons = [];
        // An element's text as TextOf and LinkText read it, reused for every one of the page.
        private readonly TextBuffer _elementText = new(256);
        private int _images;
        private int _scripts;
        private int _css;
        private int _forms;
        private int _links;
        private int _elements;

        // The site is a social platform itself, so even its relative links lead to platform pages.
        private bool _onPlatform;

        // The base's path names a word the contact-page selector looks for, so that any link of the page may be
        // chosen (ContactPageSelector.MayChoose); asked at the first link.
        private bool? _baseMayBeChosen;

        // The base's scheme and authority as a Uri writes them, once a path from the root is resolved (ResolveOrKeep).
        private string? _origin;

        public Uri BaseUrl { get; private set; } = finalUrl;
        public string? Title { get; private set; }
        public string? HtmlLang { get; private set; }
        public string? ContentLanguage { get; private set; }
        public JsonLdFacts Json { get; } = new();
        public TextBuffer Text { get; } = new(Math.Min(expectedTextChars + (expectedTextChars / 16), MaxTextChars));
        public List<string> AttributeTexts { get; } = [];
        public List<string> MailtoLinks { get; } = [];
        public List<string> TelLinks { get; } = [];
        public List<string> CloudflareEmails { get; } = [];
        public List<(Uri Url, bool InChrome)> SocialLinkCandidates { get; } = [];
        public List<string> ScriptSources { get; } = [];
        public List<KeyValuePair<string, string>> Meta { get; } = [];
        public List<PageLink> Links { get; } = [];

        /// Where the text of `<address>` and footer blocks lies in <see cref="Text"/> (outermost blocks only).
        public List<Range> ContactBlocks { get; } = [];
        public string? HeaderLogo { get; private set; }
        public string? OtherLogo { get; private set; }

        public string? Favicon =>
            _icons.Where(i => RelHas(i.Rel, "icon")).Concat(_icons.Where(i => RelHas(i.Rel, "apple-touch-icon")
                || RelHas(i.Rel, "apple-touch-icon-precomposed"))).Concat(_icons)
            .Select(i => Resolve(BaseUrl, i.Href)).FirstOrDefault(u => u is not null);

        public string? MetaContent(string name) => _firstMeta.GetValueOrDefault(name);

        public PagePerformance Performance() => new()
        {
            ImageCount = _images,
            ScriptCount = _scripts,
            CssCount = _css,
            FormCount = _forms,
            LinkCount = _links,
            TotalElements = _elements,
        };

        public void Visit(PageTree.Document tree)
        {
            // <base href> applies to every URL in the document, including those before it, so read it first; a tree
            // without a base element is not searched.
            if (tree.HasBase && FirstBaseHref(tree) is { } baseHref
                && Uri.TryCreate(BaseUrl, baseHref.Trim(), out var baseUri)
                && (baseUri.Scheme == Uri.UriSchemeHttp || baseUri.Scheme == Uri.UriSchemeHttps))
            {
                BaseUrl = baseUri;
            }

            _onPlatform = SocialProfiles.IsPlatformHost(BaseUrl.Host);
            if (tree.Root is { } root)
            {
                Walk(root);
            }
        }

        /// The href of the first `base` element with one, in tree order (as the selector `base[href]` finds it).
        private static string? FirstBaseHref(PageTree.Document tree)
        {
            var stack = new Stack<PageTree.Node>();
            stack.Push(tree);
            while (stack.TryPop(out var node))
            {
                if (node is PageTree.Element { Id: PageTree.TagId.Base } element && element.GetAttribute("href") is { } href)
                {
                    return href;
                }

                for (var i = node.ChildCount - 1; i >= 0; i--)
                {
                    if (node.ChildAt(i) is PageTree.Element child)
                    {
                        stack.Push(child);
                    }
                }
            }

            return null;
        }

        // Iterative, so that a hostile page nesting elements a million deep cannot exhaust the stack.
        private void Walk(PageTree.Element root)
        {
            var stack = t_stack ?? new Stack<Frame>();
            t_stack = null;
            try
            {
                Walk(root, stack);
            }
            finally
            {
                stack.Clear();
                if (stack.EnsureCapacity(0) <= MaxStackKept)
                {
                    t_stack = stack;
                }
            }
        }

        private void Walk(PageTree.Element root, Stack<Frame> stack)
        {
            // The budget is checked every 1,024 nodes, counted here (a thread-static read and a call for every node
            // were ~1% of the walk).
            var budget = t_budget;
            var visited = 0;
            stack.Push(new Frame(root, null, Context.None, Exit: false));
            while (stack.TryPop(out var frame))
            {
                if ((++visited & 1023) == 0)
                {
                    budget?.Check();
                }

                if (frame.Exit)
                {
                    if (frame.BlockStart >= 0 && ContactBlocks.Count < MaxContactBlocks)
                    {
                        ContactBlocks.Add(new Range(frame.BlockStart, Text.Length));
                    }

                    Text.Append('\n');
                    continue;
                }

                if (frame.Element is not { } element)
                {
                    if (Text.Length < MaxTextChars && !frame.Text!.IsWhiteSpace)
                    {
                        frame.Text.AppendTo(Text);
                    }

                    continue;
                }

                _elements++;
                var context = frame.Context;
                var isHtml = element.IsHtml;
                if (isHtml)
                {
                    var id = element.Id;
                    // One search of the id and one of the class for all the words below; most say none of them. Read
                    // where they are kept (the tree's store), not as strings.
                    var idSays = WordsIn(element.AttributeValue("id"));
                    var classSays = WordsIn(element.AttributeValue("class"));
                    var isHeader = id == PageTree.TagId.Header || element.AttributeValue("role").SequenceEqual("banner")
                        || (idSays & (Says.Header | Says.Masthead)) != 0 || (classSays & Says.Header) != 0;
                    if (isHeader)
                    {
                        context |= Context.Header | Context.Chrome;
                    }

                    var isFooter = id == PageTree.TagId.Footer || ((idSays | classSays) & Says.Footer) != 0;
                    if (isFooter || id == PageTree.TagId.Nav)
                    {
                        context |= Context.Chrome;
                    }

                    // Contact blocks: phones in them need no cue, and the company's own address is written there.
                    var blockStart = -1;
                    if ((isFooter || id == PageTree.TagId.Address) && !context.HasFlag(Context.ContactBlock))
                    {
                        context |= Context.ContactBlock;
                        blockStart = Text.Length;
                    }

                    if (((idSays | classSays) & Says.Logo) != 0 || (classSays & Says.Brand) != 0)
                    {
                        context |= Context.Logo;
                    }

                    VisitHtmlElement(element, id, context);
                    var kind = element.Kind;
                    if ((kind & PageTree.TagKind.Opaque) != 0)
                    {
                        continue;
                    }

                    if ((kind & PageTree.TagKind.Block) != 0)
                    {
                        stack.Push(new Frame(element, null, context, Exit: true, blockStart));
                    }
                }

                ScanAttributes(element);
                for (var i = element.ChildCount - 1; i >= 0; i--)
                {
                    // Text first: its class is sealed, so the test is a compare where one for an element is a call.
                    var child = element.ChildAt(i);
                    if (child is PageTree.Text text)
                    {
                        stack.Push(new Frame(null, text, context, Exit: false));
                    }
                    else if (child is PageTree.Element childElement)
                    {
                        stack.Push(new Frame(childElement, null, context, Exit: false));
                    }
                }
            }
        }

        private void VisitHtmlElement(PageTree.Element element, PageTree.TagId id, Context context)
        {
            switch (id)
            {
                case PageTree.TagId.Html:
                    HtmlLang = element.GetAttribute("lang") ?? element.GetAttribute("xml:lang");
                    break;
                case PageTree.TagId.Title when Title is null:
                    Title = TextOf(element);
                    break;
                case PageTree.TagId.Meta:
                    ReadMeta(element);
                    break;
                case PageTree.TagId.Link:
                    ReadLink(element);
                    break;
                case PageTree.TagId.Style:
                    _css++;
                    break;
                case PageTree.TagId.Script:
                    ReadScript(element);
                    break;
                case PageTree.TagId.Img:
                    ReadImage(element, context.HasFlag(Context.Header), context.HasFlag(Context.Logo));
                    break;
                case PageTree.TagId.Form:
                    _forms++;
                    break;
                case PageTree.TagId.A:
                    ReadAnchor(element, context.HasFlag(Context.Chrome));
                    break;
            }
        }

        private void ReadMeta(PageTree.Element element)
        {
            var content = element.GetAttribute("content");
            if (content is null)
            {
                return;
            }

            var key = element.GetAttribute("name") ?? element.GetAttribute("property") ?? element.GetAttribute("itemprop");
            if (key is not null)
            {
                key = key.Trim().ToLowerInvariant();
                Meta.Add(new(key, content));
                _firstMeta.TryAdd(key, content);
            }

            if (element.GetAttribute("http-equiv") is { } equiv && equiv.Equals("content-language", StringComparison.OrdinalIgnoreCase))
            {
                ContentLanguage ??= content;
            }
        }

        private void ReadLink(PageTree.Element element)
        {
            var rel = element.GetAttribute("rel")?.ToLowerInvariant() ?? string.Empty;
            var href = element.GetAttribute("href");
            if (RelHas(rel, "stylesheet"))
            {
                _css++;
            }

            // icon, shortcut icon, apple-touch-icon(-precomposed), mask-icon, fluid-icon ...
            if (href is not null && rel.Contains("icon", StringComparison.Ordinal))
            {
                _icons.Add((rel, href));
            }
        }

        private void ReadScript(PageTree.Element element)
        {
            _scripts++;
            if (element.GetAttribute("src") is { } src)
            {
                ScriptSources.Add(ResolveOrKeep(BaseUrl, src, ref _origin));
                return;
            }

            var type = element.GetAttribute("type");
            if (type is not null && OrdinalIgnoreCase.Contains(type, "ld+json"))
            {
                Json.Add(TextOf(element));
            }
        }

        private void ReadImage(PageTree.Element element, bool inHeader, bool inLogo)
        {
            _images++;
            if (HeaderLogo is not null)
            {
                return;
            }

            var src = element.GetAttribute("src");
            if (src is null || src.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                src = element.GetAttribute("data-src") ?? element.GetAttribute("data-lazy-src") ?? src;
            }

            var says = inLogo || Mentions(element.AttributeValue("id"), "logo") || Mentions(element.AttributeValue("class"), "logo")
                || Mentions(element.AttributeValue("alt"), "logo") || Mentions(FileName(src), "logo");
            if (!says || Resolve(BaseUrl, src) is not { } url)
            {
                return;
            }

            if (inHeader)
            {
                HeaderLogo = url;
            }
            else
            {
                OtherLogo ??= url;
            }
        }

        private void ReadAnchor(PageTree.Element element, bool inChrome)
        {
            if (!element.TryGetAttribute("href", out var rawHref))
            {
                return;
            }

            _links++;
            var href = rawHref.Trim();
            if (href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            {
                MailtoLinks.Add(href.ToString());
                return;
            }

            if (href.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) || href.StartsWith("callto:", StringComparison.OrdinalIgnoreCase))
            {
                TelLinks.Add(href.ToString());
                return;
            }

            if (href.IsEmpty || href[0] == '#' || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            // A link's href and text become strings only where they are kept: a homepage has hundreds of links, and
            // their strings and PageLinks were a fifth of what a scan allocated.
            string? hrefText = null;

            // Only a link that may lead to a platform is resolved here; the others when the contact-page selector
            // asks (a relative link stays on the site, unless the site is a platform itself).
            if ((_onPlatform || SocialProfiles.MayLinkToPlatform(href)) && ResolveUri(BaseUrl, hrefText = href.ToString()) is { } url
                && SocialProfiles.IsPlatformHost(url.Host))
            {
                SocialLinkCandidates.Add((url, inChrome));
            }

            if (links && Links.Count < MaxLinks)
            {
                var text = LinkText(element);
                _baseMayBeChosen ??= ContactPageSelector.MayChoose(BaseUrl.AbsolutePath, []);
                if (_baseMayBeChosen.Value || ContactPageSelector.MayChoose(href, text))
                {
                    Links.Add(new PageLink(BaseUrl, hrefText ?? href.ToString(), text.ToString()));
                }
            }
        }

        /// A link's text as the contact-page selector reads it: its text content with its whitespace collapsed (as
        /// <see cref="Clean"/> does), else its title; in <see cref="_elementText"/>, until the next element's.
        private ReadOnlySpan<char> LinkText(PageTree.Element element)
        {
            _elementText.Clear();
            element.AppendTextTo(_elementText);
            var length = CollapseWhiteSpace(_elementText.Written, _elementText.Written);
            if (length > 0)
            {
                return _elementText.Span[..length];
            }

            return element.TryGetAttribute("title", out var title) ? title : [];
        }

        /// The element's text content (its text nodes' text, in tree order), as a DOM's `textContent` gives it.
        private string TextOf(PageTree.Element element)
        {
            _elementText.Clear();
            element.AppendTextTo(_elementText);
            return _elementText.Span.ToString();
        }

        private void ScanAttributes(PageTree.Element element)
        {
            for (var i = 0; i < element.AttributeCount; i++)
            {
                var attributeName = element.AttributeName(i);
                var value = element.AttributeValue(i);
                if (attributeName == "data-cfemail")
                {
                    if (EmailFinder.DecodeCloudflare(value.ToString()) is { } decoded)
                    {
                        CloudflareEmails.Add(decoded);
                    }
                }
                else if (attributeName is not ("href" or "src" or "srcset" or "style" or "class" or "id")
                    && value.Contains('@') && value.Length < 2048)
                {
                    AttributeTexts.Add(value.ToString());
                }
            }
        }

        // The first letters of the words an id or class may say (no character beyond ASCII is one of these ignoring
        // case, so a search for them misses none of the words).
        private static readonly SearchValues<char> WordStarts = SearchValues.Create("hHmMfFlLbB");

        /// Which of header, masthead, footer, logo and brand occur in <paramref name="value"/>, ignoring case: a hop from
        /// first letter to first letter, where a SearchValues of the words ran a hashing search over the short values of
        /// every element's id and class (a tenth of the walk).
        private static Says WordsIn(ReadOnlySpan<char> value)
        {
            var says = Says.None;
            var at = value.IndexOfAny(WordStarts);
            while (at >= 0)
            {
                var rest = value[at..];
                says |= (rest[0] | 0x20) switch
                {
                    'h' when rest.StartsWith("header", StringComparison.OrdinalIgnoreCase) => Says.Header,
                    'm' when rest.StartsWith("masthead", StringComparison.OrdinalIgnoreCase) => Says.Masthead,
                    'f' when rest.StartsWith("footer", StringComparison.OrdinalIgnoreCase) => Says.Footer,
                    'l' when rest.StartsWith("logo", StringComparison.OrdinalIgnoreCase) => Says.Logo,
                    'b' when rest.StartsWith("brand", StringComparison.OrdinalIgnoreCase) => Says.Brand,
                    _ => Says.None,
                };
                var next = rest[1..].IndexOfAny(WordStarts);
                at = next < 0 ? -1 : at + 1 + next;
            }

            return says;
        }

        private static bool RelHas(string rel, string token) =>
            rel.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(t => t.Equals(token, StringComparison.OrdinalIgnoreCase));

        private static bool Mentions(ReadOnlySpan<char> value, string word) => OrdinalIgnoreCase.Contains(value, word);

        private static string? FileName(string? src)
        {
            if (src is null)
            {
                return null;
            }

            var query = src.IndexOfAny(['?', '#']);
            var path = query < 0 ? src : src[..query];
            return path[(path.LastIndexOf('/') + 1)..];
        }

        public void Dispose()
        {
            Json.Dispose();
            Text.Dispose();
            _elementText.Dispose();
        }

        [Flags]
        private enum Says
        {
            None = 0,
            Header = 1,
            Masthead = 2,
            Footer = 4,
            Logo = 8,
            Brand = 16,
        }

        [Flags]
        private enum Context
        {
            None = 0,
            Header = 1,
            Logo = 2,

            // Header, footer and navigation: where a site links its own profiles rather than someone else's.
            Chrome = 4,

            // Inside an <address> or footer block already.
            ContactBlock = 8,
        }

        /// An element or a text node to visit, or the exit of a block element (with <paramref name="Element"/>).
        /// <param name="BlockStart">For the exit of a contact block, where its text starts; else -1.</param>
        private readonly record struct Frame(PageTree.Element? Element, PageTree.Text? Text, Context Context, bool Exit, int BlockStart = -1);
    }

    /// The page's visible text, gathered in a pooled buffer: a StringBuilder of a page's text is a few hundred KB of
    /// chunks per page, thrown away as soon as the one string the finders read is made.
    internal sealed class TextBuffer(int capacity) : IDisposable
    {
        private char[] _chars = ArrayPool<char>.Shared.Rent(Math.Max(capacity, 16 * 1024));

        public int Length { get; private set; }

        public void Append(char c)
        {
            Reserve(1);
            _chars[Length++] = c;
        }

        public void Append(ReadOnlySpan<char> value)
        {
            Reserve(value.Length);
            value.CopyTo(_chars.AsSpan(Length));
            Length += value.Length;
        }

        public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

        public void Clear() => Length = 0;

        /// The text, to change in place.
        public Span<char> Written => _chars.AsSpan(0, Length);

        public void Dispose()
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = [];
        }

        private void Reserve(int more)
        {
            if (Length + more <= _chars.Length)
            {
                return;
            }

            var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, Length + more));
            _chars.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(_chars);
            _chars = larger;
        }
    }
}
