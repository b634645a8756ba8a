using AngleSharp.Dom;

namespace ScraperSky.Scanning.Fingerprints;

/// Detects technologies on a page with the rules of a <see cref="FingerprintCatalog"/>.
///
/// Speed comes from a literal prefilter: every pattern carries the strings any match must contain (derived from its
/// regex), all of them go into one <see cref="LiteralSet"/>, and a page is scanned once for them. Only patterns with
/// an alternative whose literals all occur are run, so a page pays for the few regexes that might match, not for
/// thousands. Inputs are
/// length-capped, and a regex that runs 100 ms is answered by the non-backtracking engine instead, so a hostile page (or
/// a hostile pattern in a loaded dataset) costs bounded time and a busy machine loses no match; our shipped patterns
/// are also checked to be free of backtracking-only constructs, which that engine cannot run.
public sealed class FingerprintMatcher
{
    internal const int MaxHtmlChars = 1_000_000;

    // A pattern without a literal cannot be prefiltered and runs on every page, so it reads less of each: the head
    // and the top of the body, where such markers live.
    internal const int MaxUnfilteredHtmlChars = 128 * 1024;
    internal const int MaxScriptChars = 64 * 1024;
    internal const int MaxValueChars = 4096;

    private const int MinOtherLiteral = 5;

    private readonly FingerprintCatalog _catalog;
    private readonly Dictionary<string, int[]> _rulesByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string[]> _categoriesByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Entry[] _html;
    private readonly Entry[] _scriptSrc;
    private readonly Entry[] _scripts;
    private readonly Entry[] _url;
    private readonly Dictionary<string, Entry[]> _meta;
    private readonly Dictionary<string, Entry[]> _headers;
    private readonly Dictionary<string, Entry[]> _cookies;
    private readonly (string Prefix, Entry Entry)[] _cookiePrefixes;
    private readonly (int Rule, DomRule Dom, int LiteralId)[] _dom;
    private readonly LiteralSet _literals;

    [ThreadStatic]
    private static bool[]? t_sourceLiterals;

    [ThreadStatic]
    private static int[]? t_lastEnds;

    public FingerprintMatcher(FingerprintCatalog catalog)
    {
        _catalog = catalog;
        var rules = catalog.Rules;
        var literalIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var html = new List<Entry>();
        var scriptSrc = new List<Entry>();
        var scripts = new List<Entry>();
        var url = new List<Entry>();
        var meta = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        var headers = new Dictionary<string, List<Entry>>(StringComparer.OrdinalIgnoreCase);
        var cookies = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        var cookiePrefixes = new List<(string, Entry)>();
        var dom = new List<(int, DomRule, int)>();

        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            _rulesByName[rule.Name] = _rulesByName.TryGetValue(rule.Name, out var existing) ? [.. existing, r] : [r];
            _categoriesByName[rule.Name] = _categoriesByName.TryGetValue(rule.Name, out var cats)
                ? [.. cats.Union(rule.Categories, StringComparer.OrdinalIgnoreCase)]
                : [.. rule.Categories];

            AddPrefiltered(rule.Html, r, Channel.Html, html, literalIds);
            AddPrefiltered(rule.ScriptSrc, r, Channel.ScriptSrc, scriptSrc, literalIds);
            AddPrefiltered(rule.Scripts, r, Channel.Scripts, scripts, literalIds);
            AddPrefiltered(rule.Url, r, Channel.Url, url, literalIds);
            AddNamed(rule.Meta, r, Channel.Meta, meta);
            AddNamed(rule.Headers, r, Channel.Headers, headers);
            foreach (var (name, pattern) in rule.Cookies)
            {
                if (name.EndsWith('*'))
                {
                    cookiePrefixes.Add((name[..^1], new Entry(r, pattern, Channel.Cookies, Name: name)));
                }
                else
                {
                    Add(cookies, name, new Entry(r, pattern, Channel.Cookies, Name: name));
                }
            }

            foreach (var d in rule.Dom)
            {
                dom.Add((r, d, d.Literal is null ? -1 : IdFor(d.Literal, literalIds)));
            }
        }

        _html = [.. html];
        _scriptSrc = [.. scriptSrc];
        _scripts = [.. scripts];
        _url = [.. url];
        _meta = meta.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        _headers = headers.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        _cookies = cookies.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        _cookiePrefixes = [.. cookiePrefixes];
        _dom = [.. dom];
        _literals = new LiteralSet(
            [.. literalIds.OrderBy(p => p.Value).Select(p => p.Key)],
            endsAsked: [.. _html.Where(e => e.Reach is not null).SelectMany(e => e.Reach!).Select(r => r.Id).Distinct()]);
    }

    public static FingerprintMatcher Shipped { get; } = new(FingerprintCatalog.Shipped);

    public int TechnologyCount => _rulesByName.Count;

    /// Technologies detected on the page, with categories, version (when a pattern captured one), confidence
    /// (summed over matching patterns, at most 100) and the evidence for each, sorted by name.
    public IReadOnlyList<DetectedTechnology> Detect(PageSignals page)
    {
        var rules = _catalog.Rules;
        var hits = new Hits(new Hit?[rules.Count], page.Url);
        var found = FindLiterals(page, out var sourceLiterals, out var lastEnds);

        RunPrefiltered(_html, found, hits, [Cap(page.Html, MaxHtmlChars)], unfilteredCap: MaxUnfilteredHtmlChars, lastEnds: lastEnds);
        RunPrefiltered(_scriptSrc, found, hits, [.. page.ScriptSources.Select(s => Cap(s, MaxValueChars))], sourceLiterals);
        RunPrefiltered(_scripts, found, hits, [.. page.InlineScripts.Select(s => Cap(s, MaxScriptChars))]);
        RunPrefiltered(_url, found, hits, [Cap(page.Url, MaxValueChars)]);

        foreach (var (name, content) in page.Meta)
        {
            if (_meta.TryGetValue(name, out var entries))
            {
                RunAll(entries, hits, Cap(content, MaxValueChars));
            }
        }

        foreach (var (name, values) in page.Headers)
        {
            if (_headers.TryGetValue(name, out var entries))
            {
                RunAll(entries, hits, Cap(string.Join(", ", values), MaxValueChars));
            }
        }

        foreach (var (name, value) in Cookies(page.Headers))
        {
            if (_cookies.TryGetValue(name, out var entries))
            {
                foreach (var entry in entries)
                {
                    Run(entry, hits, Cap(value, MaxValueChars), cookieName: name);
                }
            }

            foreach (var (prefix, entry) in _cookiePrefixes)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    Run(entry, hits, Cap(value, MaxValueChars), cookieName: name);
                }
            }
        }

        if (page.Document is { } document)
        {
            RunDom(document, found, hits);
        }

        return Resolve(hits);
    }

    private static void AddPrefiltered(IReadOnlyList<FingerprintPattern> patterns, int rule, Channel channel,
        List<Entry> target, Dictionary<string, int> literalIds)
    {
        foreach (var pattern in patterns)
        {
            // An alternative's longest literal, and its others of MinOtherLiteral characters or more: shorter ones
            // (`.js`, `id=`, `http`) are syntax every page holds, and in the scan they cost more (a quarter of it on
            // the extraction corpus) than the regexes they would spare.
            int[][] ids = pattern.Literals is null ? [] : [.. pattern.Literals.Select(branch => branch
                .Where((literal, i) => i == 0 || literal.Length >= MinOtherLiteral)
                .Select(literal => IdFor(literal, literalIds))
                .ToArray())];
            target.Add(new Entry(rule, pattern, channel, ids, Reach: channel == Channel.Html ? ReachOf(pattern, ids, literalIds) : null));
        }
    }

    /// Per alternative of a page-source pattern, the literal of its scanned ones whose last occurrence on a page tells
    /// where its matches end at the latest, with how far past it they go (<see cref="RequiredLiterals.Reach"/>); null
    /// when some alternative has none. Of several, the one a match goes on least after, then the longest: the
    /// distinctive part of a pattern comes late (`wpcf7` in `class=["']wpcf7`), and such a literal is reported at
    /// every occurrence, so markup a page holds hundreds of times (`class=`) would cost the literal scan its retiring.
    private static (int Id, int Tail)[]? ReachOf(FingerprintPattern pattern, int[][] ids, Dictionary<string, int> literalIds)
    {
        if (ids.Length == 0 || RequiredLiterals.Reach(pattern.Source) is not { } reach || reach.Count != ids.Length)
        {
            return null;
        }

        var bounds = new (int Id, int Tail)[ids.Length];
        for (var b = 0; b < ids.Length; b++)
        {
            var best = reach[b]
                .Where(p => literalIds.TryGetValue(p.Key, out var id) && ids[b].Contains(id))
                .OrderBy(p => p.Value)
                .ThenByDescending(p => p.Key.Length)
                .FirstOrDefault();
            if (best.Key is null)
            {
                return null;
            }

            bounds[b] = (literalIds[best.Key], best.Value);
        }

        return bounds;
    }

    private static void AddNamed(IReadOnlyList<KeyValuePair<string, FingerprintPattern>> patterns, int rule, Channel channel,
        Dictionary<string, List<Entry>> target)
    {
        foreach (var (name, pattern) in patterns)
        {
            Add(target, name, new Entry(rule, pattern, channel, Name: name));
        }
    }

    private static void Add(Dictionary<string, List<Entry>> target, string name, Entry entry)
    {
        if (!target.TryGetValue(name, out var list))
        {
            target[name] = list = [];
        }

        list.Add(entry);
    }

    private static int IdFor(string literal, Dictionary<string, int> ids)
    {
        if (!ids.TryGetValue(literal, out var id))
        {
            ids[literal] = id = ids.Count;
        }

        return id;
    }

    private static ReadOnlyMemory<char> Cap(string value, int max) => value.AsMemory(0, Math.Min(value.Length, max));

    private static ReadOnlyMemory<char> Cap(ReadOnlyMemory<char> value, int max) => value[..Math.Min(value.Length, max)];

    internal bool[] FindLiterals(PageSignals page) => FindLiterals(page, out _, out _);

    /// The literals on the page; <paramref name="sourceLiterals"/> holds, per script source, a row of the literals
    /// that source holds itself, and <paramref name="lastEnds"/> where each literal's last occurrence in the page
    /// source ends (0: none there; both this thread's buffers, valid until its next page).
    private bool[] FindLiterals(PageSignals page, out bool[] sourceLiterals, out int[] lastEnds)
    {
        var count = _literals.Count;
        var found = new bool[count];

        // The whole page source holds script sources, inline scripts and meta values; attribute values are also
        // scanned decoded (script sources) in case entities hide a literal in the source.
        lastEnds = t_lastEnds is { } ends && ends.Length >= count ? ends : t_lastEnds = new int[count];
        Array.Clear(lastEnds, 0, count);
        _literals.FindIn(page.Html.Span, found, lastEnds);
        var sources = page.ScriptSources;
        sourceLiterals = t_sourceLiterals is { } buffer && buffer.Length >= sources.Count * count
            ? buffer
            : t_sourceLiterals = new bool[Math.Max(sources.Count, 32) * count];
        Array.Clear(sourceLiterals, 0, sources.Count * count);
        for (var i = 0; i < sources.Count; i++)
        {
            // Scanned twice: a script source is short, cheaper to read again than its row to merge.
            _literals.FindIn(sources[i], found);
            _literals.FindIn(sources[i], sourceLiterals.AsSpan(i * count, count));
        }

        _literals.FindIn(page.Url, found);
        return found;
    }

    /// <param name="inputLiterals">Per input, a row of the literals it holds itself: an entry is tried only on the
    /// inputs that hold one of its alternatives (a script-source pattern found on the page in one source was tried
    /// on every source, each costing an ignore-case search per literal in <see cref="FingerprintPattern.TryMatch(ReadOnlyMemory{char}, out string?, out Range)"/>).</param>
    /// <param name="lastEnds">For the page source (the one input), where each literal's last occurrence ends: a pattern
    /// with a <see cref="Entry.Reach"/> is searched only up to where its matches can end, not to the end of the page
    /// (a miss read all of a 250 KB page, the stage's costliest regex calls).</param>
    private static void RunPrefiltered(
        Entry[] entries, bool[] found, Hits hits, ReadOnlyMemory<char>[] inputs, bool[]? inputLiterals = null, int? unfilteredCap = null,
        int[]? lastEnds = null)
    {
        if (inputs.Length == 0)
        {
            return;
        }

        ReadOnlyMemory<char>[]? unfilteredInputs = null;
        foreach (var entry in entries)
        {
            if (!MayMatch(entry.LiteralIds, found))
            {
                continue;
            }

            // A loop, not a lambda: capturing the cap allocated a closure for every entry looked at, matched or not.
            if (entry.LiteralIds.Length == 0 && unfilteredCap.HasValue && unfilteredInputs is null)
            {
                unfilteredInputs = new ReadOnlyMemory<char>[inputs.Length];
                for (var i = 0; i < inputs.Length; i++)
                {
                    unfilteredInputs[i] = Cap(inputs[i], unfilteredCap.Value);
                }
            }

            var run = entry.LiteralIds.Length == 0 && unfilteredInputs is not null ? unfilteredInputs : inputs;
            for (var i = 0; i < run.Length; i++)
            {
                if (inputLiterals is not null && !MayMatch(entry.LiteralIds, inputLiterals.AsSpan(i * found.Length, found.Length)))
                {
                    continue;
                }

                var searched = lastEnds is not null && entry.Reach is { } reach ? SearchLength(entry.LiteralIds, reach, found, lastEnds) : int.MaxValue;
                if (Run(entry, hits, run[i], searchLength: searched))
                {
                    break;
                }
            }
        }
    }

    /// Where the matches of the alternatives whose literals were all found end at the latest.
    private static int SearchLength(int[][] literalIds, (int Id, int Tail)[] reach, bool[] found, int[] lastEnds)
    {
        var length = 0;
        for (var b = 0; b < literalIds.Length; b++)
        {
            var all = true;
            foreach (var id in literalIds[b])
            {
                all &= found[id];
            }

            if (all)
            {
                length = Math.Max(length, lastEnds[reach[b].Id] + reach[b].Tail);
            }
        }

        return length;
    }

    /// Whether some alternative's literals were all found (always, for a pattern without literals).
    private static bool MayMatch(int[][] literalIds, ReadOnlySpan<bool> found)
    {
        if (literalIds.Length == 0)
        {
            return true;
        }

        foreach (var branch in literalIds)
        {
            var all = true;
            foreach (var id in branch)
            {
                all &= found[id];
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    private static void RunAll(Entry[] entries, Hits hits, ReadOnlyMemory<char> input)
    {
        foreach (var entry in entries)
        {
            Run(entry, hits, input);
        }
    }

    /// <param name="searchLength">How much of <paramref name="input"/> the pattern is run on (all of it by default); its
    /// evidence is still read from the whole input.</param>
    private static bool Run(Entry entry, Hits hits, ReadOnlyMemory<char> input, string? cookieName = null, int searchLength = int.MaxValue)
    {
        if (!entry.Pattern.TryMatch(input[..Math.Min(input.Length, searchLength)], out var version, out var matched))
        {
            return false;
        }

        // Evidence is built only here, for a match: the excerpt costs a small string per signal of a found technology.
        var match = entry.Channel switch
        {
            Channel.Cookies => cookieName ?? entry.Name ?? string.Empty,
            Channel.Html or Channel.Scripts => EvidenceExcerpt.InSource(input.Span, matched),
            _ => EvidenceExcerpt.OfValue(input.Span, matched),
        };
        var evidence = new TechnologyEvidence(KindOf(entry.Channel), cookieName ?? entry.Name, match, hits.PageUrl) { Version = version };
        hits.For(entry.Rule).Add(entry.Pattern.Confidence, entry.Channel, evidence);
        return true;
    }

    private static string KindOf(Channel channel) => channel switch
    {
        Channel.Meta => EvidenceKinds.Meta,
        Channel.Headers => EvidenceKinds.Header,
        Channel.ScriptSrc => EvidenceKinds.ScriptUrl,
        Channel.Scripts => EvidenceKinds.InlineScript,
        Channel.Html => EvidenceKinds.Html,
        Channel.Dom => EvidenceKinds.Dom,
        Channel.Url => EvidenceKinds.Url,
        _ => EvidenceKinds.Cookie,
    };

    private void RunDom(Func<IDocument> document, bool[] found, Hits hits)
    {
        foreach (var (rule, dom, literalId) in _dom)
        {
            if (dom.IsBroken || (literalId >= 0 && !found[literalId]))
            {
                continue;
            }

            IElement? element;
            try
            {
                element = document().QuerySelector(dom.Selector);
            }
            catch (DomException)
            {
                // A selector AngleSharp cannot read never matches; remember that instead of throwing on every page.
                dom.IsBroken = true;
                continue;
            }

            if (element is null)
            {
                continue;
            }

            // A bare selector shows the element it found; a text or attribute pattern shows what it matched.
            string? excerpt = dom.Text is null && dom.Attributes.Count == 0 ? "<" + element.LocalName + ">" : null;
            string? version = null;
            if (dom.Text is not null && Cap(element.TextContent, MaxValueChars) is var text && dom.Text.TryMatch(text, out var v, out var at))
            {
                excerpt = EvidenceExcerpt.OfValue(text.Span, at);
                version = v;
            }

            foreach (var (name, pattern) in dom.Attributes)
            {
                if (element.GetAttribute(name) is { } value && pattern.TryMatch(Cap(value, MaxValueChars), out var av, out var attributeAt))
                {
                    excerpt ??= name + "=" + EvidenceExcerpt.OfValue(value.AsSpan(0, Math.Min(value.Length, MaxValueChars)), attributeAt);
                    version ??= av;
                }
            }

            if (excerpt is not null)
            {
                hits.For(rule).Add(100, Channel.Dom, new TechnologyEvidence(EvidenceKinds.Dom, dom.Selector, excerpt, hits.PageUrl) { Version = version });
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Cookies(IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
    {
        if (!headers.TryGetValue("Set-Cookie", out var lines))
        {
            yield break;
        }

        foreach (var line in lines)
        {
            var end = line.IndexOf(';', StringComparison.Ordinal);
            var pair = end < 0 ? line : line[..end];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                yield return new(pair[..equals].Trim(), pair[(equals + 1)..].Trim());
            }
        }
    }

    private List<DetectedTechnology> Resolve(Hits page)
    {
        var rules = _catalog.Rules;
        var hits = page.ByRule;
        var byName = new Dictionary<string, Hit>(StringComparer.OrdinalIgnoreCase);
        for (var r = 0; r < hits.Length; r++)
        {
            if (hits[r] is { } hit)
            {
                if (byName.TryGetValue(rules[r].Name, out var existing))
                {
                    existing.Merge(hit);
                }
                else
                {
                    byName[rules[r].Name] = hit;
                }
            }
        }

        AddImplied(byName, page.PageUrl);

        foreach (var name in byName.Keys.ToList())
        {
            foreach (var r in _rulesByName[name])
            {
                foreach (var excluded in rules[r].Excludes)
                {
                    byName.Remove(excluded);
                }
            }
        }

        // `requires`: a technology only counts on a page where the one it extends was found (a theme needs its CMS).
        foreach (var name in byName.Keys.ToList())
        {
            if (RequiresMissing(name, byName))
            {
                byName.Remove(name);
            }
        }

        return [.. byName
            .Select(p => Describe(CanonicalName(p.Key), _categoriesByName[p.Key], p.Value))
            .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// Whether a rule of <paramref name="name"/> requires a technology that is not in <paramref name="byName"/>.
    private bool RequiresMissing(string name, Dictionary<string, Hit> byName)
    {
        foreach (var r in _rulesByName[name])
        {
            foreach (var required in _catalog.Rules[r].Requires)
            {
                if (!byName.ContainsKey(required))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static DetectedTechnology Describe(string name, IReadOnlyList<string> categories, Hit hit)
    {
        var version = hit.BestVersion();
        return new DetectedTechnology(name, categories, version?.Version, hit.Confidence)
        {
            VersionSource = version is { } v ? v.Kind + (v.Name is null ? string.Empty : ":" + v.Name) : null,
            ConfidenceSource = hit.Implied ? ConfidenceSources.Implied : ConfidenceSources.Seen,
            ImpliedBy = hit.ImpliedBy,
            Evidence = hit.Evidence,
        };
    }

    private void AddImplied(Dictionary<string, Hit> byName, string pageUrl)
    {
        var rules = _catalog.Rules;
        var queue = new Queue<string>(byName.Keys);
        while (queue.TryDequeue(out var name))
        {
            var parent = byName[name];
            var parentName = CanonicalName(name);
            foreach (var r in _rulesByName[name])
            {
                foreach (var implied in rules[r].Implies)
                {
                    var impliedName = implied.Source.Trim();
                    var confidence = Math.Min(parent.Confidence, implied.Confidence);
                    if (!_rulesByName.ContainsKey(impliedName))
                    {
                        continue;
                    }

                    if (byName.TryGetValue(impliedName, out var existing))
                    {
                        existing.AddImpliedBy(parentName, pageUrl);
                        if (confidence > existing.Confidence && existing.Implied)
                        {
                            existing.RaiseImplied(confidence);
                            queue.Enqueue(impliedName);
                        }

                        continue;
                    }

                    var hit = Hit.ImpliedWith(confidence);
                    hit.AddImpliedBy(parentName, pageUrl);
                    byName[impliedName] = hit;
                    queue.Enqueue(impliedName);
                }
            }
        }
    }

    private string CanonicalName(string name) => _catalog.Rules[_rulesByName[name][0]].Name;

    /// Channels in order of how explicit their evidence of a version is (a tie between versions goes to the first).
    private enum Channel
    {
        Meta,
        Headers,
        ScriptSrc,
        Scripts,
        Html,
        Dom,
        Url,
        Cookies,
    }

    /// <param name="LiteralIds">Per alternative of the pattern, the ids of the literals its matches contain.</param>
    /// <param name="Name">The header, meta or cookie name a named pattern reads; null for page-wide channels.</param>
    /// <param name="Reach">For a page-source pattern, per alternative, a literal and how far past its end a match can
    /// go; null when some alternative's matches are not bounded so.</param>
    private sealed record Entry(int Rule, FingerprintPattern Pattern, Channel Channel, int[][]? LiteralIds = null, string? Name = null,
        (int Id, int Tail)[]? Reach = null)
    {
        public int[][] LiteralIds { get; } = LiteralIds ?? [];
    }

    /// One page's hits by rule index, with the page URL its evidence names.
    private sealed class Hits(Hit?[] byRule, string pageUrl)
    {
        public Hit?[] ByRule { get; } = byRule;

        public string PageUrl { get; } = pageUrl;

        public Hit For(int rule) => ByRule[rule] ??= new Hit();
    }

    private sealed class Hit
    {
        private List<(TechnologyEvidence Evidence, Channel Channel)>? _versions;
        private List<TechnologyEvidence>? _evidence;
        private List<string>? _impliedBy;

        public int Confidence { get; private set; }

        public bool Implied { get; private set; }

        public IReadOnlyList<string> ImpliedBy => _impliedBy ?? [];

        /// Each distinct signal once; of two patterns that matched the same text, the one that read a version.
        public IReadOnlyList<TechnologyEvidence> Evidence
        {
            get
            {
                if (_evidence is null)
                {
                    return [];
                }

                // A technology has a few signals: a linear search costs less than grouping them.
                var distinct = new List<TechnologyEvidence>(_evidence.Count);
                foreach (var evidence in _evidence)
                {
                    var at = distinct.FindIndex(d => d.Kind == evidence.Kind && d.Name == evidence.Name && d.Match == evidence.Match);
                    if (at < 0)
                    {
                        distinct.Add(evidence);
                    }
                    else if (distinct[at].Version is null && evidence.Version is not null)
                    {
                        distinct[at] = evidence;
                    }
                }

                return distinct;
            }
        }

        public static Hit ImpliedWith(int confidence) => new() { Confidence = confidence, Implied = true };

        public void Add(int confidence, Channel channel, TechnologyEvidence evidence)
        {
            Confidence = Math.Min(100, Confidence + confidence);
            (_evidence ??= []).Add(evidence);
            if (evidence.Version is not null)
            {
                (_versions ??= []).Add((evidence, channel));
            }
        }

        public void AddImpliedBy(string technology, string pageUrl)
        {
            if (_impliedBy?.Contains(technology, StringComparer.OrdinalIgnoreCase) is true)
            {
                return;
            }

            (_impliedBy ??= []).Add(technology);
            (_evidence ??= []).Add(new TechnologyEvidence(EvidenceKinds.Implied, null, technology, pageUrl));
        }

        public void RaiseImplied(int confidence) => Confidence = confidence;

        public void Merge(Hit other)
        {
            Confidence = Math.Min(100, Confidence + other.Confidence);
            if (other._versions is not null)
            {
                (_versions ??= []).AddRange(other._versions);
            }

            if (other._evidence is not null)
            {
                (_evidence ??= []).AddRange(other._evidence);
            }
        }

        /// The version most patterns agree on; ties go to the most explicit evidence (a generator meta tag before a
        /// `?ver=` on an asset before free HTML). Returned with the evidence it was first read from.
        public TechnologyEvidence? BestVersion() => _versions is [var only] ? only.Evidence : _versions?
            .GroupBy(v => v.Evidence.Version, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Min(v => v.Channel))
            .ThenByDescending(g => g.Key!.Length)
            .First()
            .MinBy(v => v.Channel).Evidence;
    }
}
