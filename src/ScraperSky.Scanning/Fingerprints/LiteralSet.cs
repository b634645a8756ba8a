using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScraperSky.Scanning.Fingerprints;

/// The matcher's literal prefilter: which of a fixed set of strings occur in a text, ignoring case, in one pass.
///
/// An Aho-Corasick automaton over case-folded characters. `SearchValues&lt;string&gt;` gives up vectorising beyond a
/// few dozen strings and restarts its search after every hit, which on a 250 KB page with a few hundred literals
/// cost more than all the regexes the prefilter saves. Here a character costs a bitmap test, and a table step where a
/// literal may start, whatever the number of literals (see <see cref="FindIn"/>). States near the root, where a scan spends nearly all its time, have a dense row of
/// transitions; deeper ones (most of the states of a 7,500-technology dataset) keep only their children and fall
/// back along failure links, so memory grows with the literals' total length rather than length times alphabet.
internal sealed class LiteralSet
{
    // Dense rows for the states nearest the root (breadth-first ids), so a large dataset stays a few MB.
    private const int MaxDenseStates = 4096;

    private readonly byte[] _classOf;
    private readonly int _classes;
    private readonly int _denseStates;
    private readonly int[] _dense;

    // Rows filled so far: while they are built, a row's transitions read the rows before it.
    private readonly int _denseRows;
    private readonly int[] _fail;
    private readonly int[] _childStart;
    private readonly byte[] _childClass;
    private readonly int[] _childTarget;

    // The literal ending at a state (or -1), and the nearest state down its failure chain that ends one (or -1).
    private readonly int[] _literalAt;
    private readonly int[] _outputLink;
    private readonly bool[] _reports;
    private readonly int[] _depth;

    // The skipping phase: every literal's first _gram character classes, _classBits bits each, as one key; the
    // key's bit in _gramStarts is (key * _gramMultiplier) >> _gramShift, the key itself while it fits FilterBits.
    private readonly int _gram;
    private readonly int _classBits;
    private readonly uint _gramMask;
    private readonly uint _gramMultiplier;
    private readonly int _gramShift;
    private readonly ulong[] _gramStarts;

    // Up to five characters of a literal's opening are tested before the automaton runs: words of prose share their
    // first three letters with label words ("den", "ver", "ges") far more often than their first five. Longer keys
    // are hashed into a filter of 2^FilterBits bits (32 KB), so the test stays in the first-level cache.
    private const int MaxGram = 5;
    private const int FilterBits = 18;

    // The vectorised first pass (AVX2, a gram of three or more): sixteen starts at a time, of which it looks up every
    // other one. A literal starting at an odd place is caught at the even place after it, by the key of its
    // characters from its second on: each literal enters the keys at both of its first two places, and a hit sends
    // the automaton back one character. Looked up, one key in two: the gathers that read the filters are the pass's
    // cost (four a block of sixteen took 0.31 ms of a 250 KB page, two of them 0.20).
    // A literal of six characters or more is keyed on five (at its first or second place), a shorter one on three:
    // one short literal ("hx-") keeps the class filter's gram at three for the whole shipped set, and on the
    // extraction corpus a three-character key passes 2.6% of positions where this pair passes 0.4%, so the class
    // filter and the automaton run seven times less often. A literal of three characters has only two at its second
    // place: its key there takes any third. Characters are OR 0x20 (upper-case ASCII letters become lower-case; a few
    // punctuation pairs merge, which only lets more starts through) and capped at 128 (every non-ASCII character);
    // each key is hashed to 32 bits and looked up in its own 64 Kbit (8 KB) filter by gathers, one 32-bit word per key
    // in which the key sets two bits (a blocked Bloom filter: the word from the hash's top 11 bits, the bits from the
    // 5 below them and the 5 below those). One bit a key let 1,900 starts a page through to the class filter, of which
    // 210 passed it, each costing more than a block of the vector pass; two bits in the same word, read by the same
    // gather, let 550 through. A literal letter that a non-ASCII character folds to (`k`, which the Kelvin sign
    // lower-cases to) is also entered as 128, so no start is missed.
    private const int LongKey = 5;
    private const int LongLiteral = LongKey + 1;
    private const int ShortKey = 3;
    private const uint VectorMultiplier0 = 0x9E3779B1;
    private const uint VectorMultiplier1 = 0x85EBCA77;
    private const uint VectorMultiplier2 = 0xC2B2AE3D;

    // Every value VectorFold gives: 0x20 to 0x7F (OR 0x20 lifts the control characters into it) and 128.
    private static readonly uint[] AnyFold = [.. Enumerable.Range(0x20, 0x61).Select(v => (uint)v)];

    // The two filters in one array, the long keys' first; a key's bits there are in its filter's word number (hash >> 21).
    private const int FilterBits16 = 1 << 16;
    private readonly uint[]? _filters;
    private readonly bool _hasShortLiterals;

    // Retiring: once a literal is found, a scan of a long text (a page) clears its keys' bits from its own copy of the
    // filters, where no literal still unfound shares them (each of a key's two bits on its own: a key of a literal
    // still unfound keeps both), so its further occurrences (`class=`, `<link` and `?ver=` hundreds of times a page)
    // stop the vector pass no more. Not for the literals whose last occurrence is asked for.
    private const int RetireFromChars = 32 * 1024;
    private readonly int[][]? _keysOf;
    private readonly Dictionary<int, int[]>? _keyOwners;
    private readonly bool[]? _retires;

    [ThreadStatic]
    private static uint[]? t_filters;

    /// <param name="literals">At least one character each; ids are positions in this list.</param>
    /// <param name="endsAsked">Ids of the literals whose last occurrence a caller asks for (see
    /// <see cref="FindIn(ReadOnlySpan{char}, Span{bool}, Span{int})"/>): reported at every occurrence in any text.</param>
    public LiteralSet(IReadOnlyList<string> literals, IReadOnlyCollection<int>? endsAsked = null)
    {
        ArgumentNullException.ThrowIfNull(literals);
        Count = literals.Count;
        (_classOf, _classes) = Alphabet(literals);

        // The trie, states numbered in insertion order for now.
        var children = new List<Dictionary<byte, int>> { new() };
        var literalAt = new List<int> { -1 };
        for (var id = 0; id < literals.Count; id++)
        {
            var state = 0;
            foreach (var c in literals[id])
            {
                var cls = _classOf[c];
                if (!children[state].TryGetValue(cls, out var next))
                {
                    next = children.Count;
                    children[state][cls] = next;
                    children.Add([]);
                    literalAt.Add(-1);
                }

                state = next;
            }

            if (literalAt[state] < 0)
            {
                literalAt[state] = id;
            }
        }

        // Renumber breadth-first, so the states a scan visits most have the smallest ids and the dense rows.
        var order = new List<int>(children.Count) { 0 };
        for (var i = 0; i < order.Count; i++)
        {
            order.AddRange(children[order[i]].OrderBy(p => p.Key).Select(p => p.Value));
        }

        var idOf = new int[children.Count];
        for (var i = 0; i < order.Count; i++)
        {
            idOf[order[i]] = i;
        }

        var states = order.Count;
        _literalAt = new int[states];
        _childStart = new int[states + 1];
        var childClass = new List<byte>();
        var childTarget = new List<int>();
        for (var s = 0; s < states; s++)
        {
            var old = order[s];
            _literalAt[s] = literalAt[old];
            _childStart[s] = childClass.Count;
            foreach (var (cls, target) in children[old].OrderBy(p => p.Key))
            {
                childClass.Add(cls);
                childTarget.Add(idOf[target]);
            }
        }

        _childStart[states] = childClass.Count;
        _childClass = [.. childClass];
        _childTarget = [.. childTarget];

        // Failure and output links, breadth-first (parents before children).
        _fail = new int[states];
        _outputLink = new int[states];
        _reports = new bool[states];
        _outputLink[0] = -1;
        for (var s = 0; s < states; s++)
        {
            for (var k = _childStart[s]; k < _childStart[s + 1]; k++)
            {
                var child = _childTarget[k];
                var fail = s == 0 ? 0 : Step(_fail[s], _childClass[k]);
                _fail[child] = fail;
                _outputLink[child] = _literalAt[fail] >= 0 ? fail : _outputLink[fail];
            }

            _reports[s] = _literalAt[s] >= 0 || _outputLink[s] >= 0;
        }

        // Row by row: a failure link always points to a shallower state, whose row is already there.
        _depth = new int[states];
        for (var st = 0; st < states; st++)
        {
            for (var k = _childStart[st]; k < _childStart[st + 1]; k++)
            {
                _depth[_childTarget[k]] = _depth[st] + 1;
            }
        }

        _classBits = Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)(_classes - 1)));
        _gram = Math.Min(Math.Min(MaxGram, 32 / _classBits), literals.Count == 0 ? MaxGram : literals.Min(l => l.Length));

        var keyBits = _gram * _classBits;
        _gramMask = (uint)((1L << keyBits) - 1);
        (_gramMultiplier, _gramShift) = keyBits <= FilterBits ? (1u, 0) : (0x9E3779B1u, 32 - FilterBits);
        _gramStarts = new ulong[Math.Max(1, (int)((1L << Math.Min(keyBits, FilterBits)) / 64))];
        foreach (var literal in literals)
        {
            var key = 0u;
            for (var k = 0; k < _gram; k++)
            {
                key = (key << _classBits) | _classOf[literal[k]];
            }

            var bit = (key * _gramMultiplier) >> _gramShift;
            _gramStarts[(int)(bit >> 6)] |= 1UL << (int)bit;
        }

        if (Avx2.IsSupported && _gram >= 3)
        {
            var foldedFromNonAscii = new bool[_classes];
            for (var c = 128; c <= char.MaxValue; c++)
            {
                foldedFromNonAscii[_classOf[c]] = true;
            }

            foldedFromNonAscii[0] = false;
            _filters = new uint[2 * FilterBits16 / 32];
            _keysOf = new int[literals.Count][];
            var owners = new Dictionary<int, List<int>>();
            for (var id = 0; id < literals.Count; id++)
            {
                var literal = literals[id];
                var isShort = literal.Length < LongLiteral;
                _hasShortLiterals |= isShort;
                var bits = new HashSet<int>();
                foreach (var place in (ReadOnlySpan<int>)[0, 1])
                {
                    foreach (var hash in VectorKeys(literal.AsSpan(place), isShort ? ShortKey : LongKey, foldedFromNonAscii))
                    {
                        var word = (isShort ? FilterBits16 : 0) + (int)(hash >> 21 << 5);
                        foreach (var bit in (ReadOnlySpan<int>)[word + (int)((hash >> 16) & 31), word + (int)((hash >> 11) & 31)])
                        {
                            _filters[bit >> 5] |= 1u << bit;
                            bits.Add(bit);
                        }
                    }
                }

                _keysOf[id] = [.. bits];
                foreach (var bit in bits)
                {
                    if (!owners.TryGetValue(bit, out var ids))
                    {
                        owners[bit] = ids = [];
                    }

                    ids.Add(id);
                }
            }

            _keyOwners = owners.ToDictionary(p => p.Key, p => p.Value.ToArray());
            _retires = new bool[literals.Count];
            Array.Fill(_retires, true);
            foreach (var id in endsAsked ?? [])
            {
                _retires[id] = false;
            }
        }

        _denseStates = Math.Min(states, MaxDenseStates);
        _dense = new int[_denseStates * _classes];
        for (var s = 0; s < _denseStates; s++)
        {
            for (var cls = 0; cls < _classes; cls++)
            {
                _dense[(s * _classes) + cls] = Step(s, (byte)cls);
            }

            _denseRows = s + 1;
        }
    }

    public int Count { get; }

    /// Sets <c>found[id]</c> for every literal that occurs in <paramref name="text"/>.
    ///
    /// Two alternating phases. Skipping: a rolling key of the last <see cref="_gram"/> character classes is looked up
    /// in a bitmap of every literal's opening characters; no step depends on the one before beyond a shift, so this
    /// runs at a fraction of the automaton's cost per character. At a position where some literal could start, the
    /// automaton takes over from the root and runs until its match in progress is shorter than a gram again; nothing
    /// it could still complete started before that point, so skipping resumes there.
    public void FindIn(ReadOnlySpan<char> text, Span<bool> found) => Scan(text, found, lastEnds: default);

    /// As <see cref="FindIn(ReadOnlySpan{char}, Span{bool})"/>, and <c>lastEnds[id]</c> raised to where the literal's
    /// last occurrence in <paramref name="text"/> ends (exclusive), for the literals the set was made to report at every
    /// occurrence (for the others, where some occurrence ends).
    public void FindIn(ReadOnlySpan<char> text, Span<bool> found, Span<int> lastEnds) => Scan(text, found, lastEnds);

    /// Where a literal occurs first in <paramref name="text"/> (the start of the one that ends first), or -1: a
    /// search for labels in prose, where `SearchValues&lt;string&gt;` ignoring case stops to compare at most words.
    public int IndexOfAny(ReadOnlySpan<char> text) => Scan(text, found: default, lastEnds: default);

    /// <paramref name="found"/> empty: stop at the first literal and return its start; otherwise -1.
    private int Scan(ReadOnlySpan<char> text, Span<bool> found, Span<int> lastEnds)
    {
        if (_filters is null)
        {
            return ScanFrom(text, 0, found, lastEnds);
        }

        var filters = _filters;
        uint[]? retiring = null;
        if (!found.IsEmpty && text.Length >= RetireFromChars)
        {
            retiring = filters = t_filters ??= new uint[_filters.Length];
            _filters.CopyTo(filters, 0);
            for (var id = 0; id < found.Length; id++)
            {
                if (found[id])
                {
                    Retire(id, filters, found);
                }
            }
        }

        var from = ScanVectorised(text, found, lastEnds, filters, retiring, out var matchStart);
        return matchStart >= 0 ? matchStart : ScanFrom(text, from, found, lastEnds);
    }

    /// The first pass sixteen starts at a time (looked up at every other one), the class filter and the automaton at
    /// the starts it passes. Stops where fewer than twenty characters remain (a vector reads the sixteen starts' first
    /// five characters) and returns where the scalar scan takes over; <paramref name="matchStart"/> as in
    /// <see cref="RunAutomaton"/>.
    private unsafe int ScanVectorised(ReadOnlySpan<char> text, Span<bool> found, Span<int> lastEnds, uint[] filters, uint[]? retiring, out int matchStart)
    {
        matchStart = -1;
        var s = 0;
        var last = text.Length - 20;
        var hasShort = _hasShortLiterals;

        // Every literal starting before `from` is found (see RunAutomaton's return), and one starting before s - 1 too:
        // a block's lookups at s, s + 2 ... s + 14 answer for starts from s - 1 to s + 14.
        var from = 0;
        fixed (char* chars = text)
        fixed (uint* longFilter = filters)
        {
            var shortFilter = longFilter + (FilterBits16 / 32);
            while (s <= last)
            {
                // A lane holds two characters, so a key reads three lanes: its start's pair, the next pair and one more.
                var pair0 = VectorFold(Avx.LoadVector256((ushort*)(chars + s))).AsUInt32();
                var pair1 = VectorFold(Avx.LoadVector256((ushort*)(chars + s + 2))).AsUInt32();
                var next = VectorFold(Avx.LoadVector256((ushort*)(chars + s + 4))).AsUInt32() & Vector256.Create(0xFFFFu);
                var head = pair0 * Vector256.Create(VectorMultiplier0);
                var longKey = head + (pair1 * Vector256.Create(VectorMultiplier1)) + (next * Vector256.Create(VectorMultiplier2));

                // Bit k: a literal may start at s + 2k - 1 or s + 2k.
                var candidates = FilterBits8(longFilter, longKey);
                if (hasShort)
                {
                    var shortKey = head + ((pair1 & Vector256.Create(0xFFFFu)) * Vector256.Create(VectorMultiplier2));
                    candidates |= FilterBits8(shortFilter, shortKey);
                }

                while (candidates != 0)
                {
                    var at = s + (2 * BitOperations.TrailingZeroCount(candidates));
                    candidates &= candidates - 1;

                    // Both places, unless the automaton run from the first passed the second: a run from a start the
                    // class filter let through by a hash collision may stop a character later (its match in progress
                    // shorter than a gram again), before a literal at the second place is complete.
                    for (var start = Math.Max(at - 1, from); start <= at; start = Math.Max(start + 1, from))
                    {
                        if (!GramMayStartAt(text, start))
                        {
                            continue;
                        }

                        from = RunAutomaton(text, start, found, lastEnds, retiring, out matchStart);
                        if (matchStart >= 0)
                        {
                            return from;
                        }
                    }
                }

                s = Math.Max(s + 16, from);
            }
        }

        return Math.Max(s - 1, from);
    }

    private static Vector256<ushort> VectorFold(Vector256<ushort> chars) =>
        Avx2.Min(chars | Vector256.Create((ushort)0x20), Vector256.Create((ushort)128));

    /// The filter's answer for eight keys, one bit each: a gather of each key's word, its two bits moved to its lane's
    /// sign (a shift left by 31 minus a bit's place, which is the place's complement in five bits) and ANDed.
    private static unsafe uint FilterBits8(uint* filter, Vector256<uint> hashes)
    {
        var words = Avx2.GatherVector256((int*)filter, (hashes >>> 21).AsInt32(), 4).AsUInt32();
        var complements = ~hashes;
        var signs = Avx2.ShiftLeftLogicalVariable(words, (complements >>> 16) & Vector256.Create(31u))
            & Avx2.ShiftLeftLogicalVariable(words, (complements >>> 11) & Vector256.Create(31u));
        return (uint)Avx.MoveMask(signs.AsSingle());
    }

    /// The vector pass's key hashes for the first <paramref name="length"/> characters (three or five) of
    /// <paramref name="literal"/>: one per way the page may show them, each character as its own fold and, if a
    /// non-ASCII character shares its class, 128; past the literal's end, any character.
    private List<uint> VectorKeys(ReadOnlySpan<char> literal, int length, bool[] foldedFromNonAscii)
    {
        var ways = new List<uint[]> { new uint[length] };
        for (var k = 0; k < length; k++)
        {
            uint[] forms = k >= literal.Length ? AnyFold
                : foldedFromNonAscii[_classOf[literal[k]]] ? [literal[k] | 0x20u, 128u] : [literal[k] | 0x20u];
            ways = [.. ways.SelectMany(w => forms.Select(f => (uint[])[.. w[..k], f, .. w[(k + 1)..]]))];
        }

        return [.. ways.Select(f => length == ShortKey
            ? ((f[0] | (f[1] << 16)) * VectorMultiplier0) + (f[2] * VectorMultiplier2)
            : ((f[0] | (f[1] << 16)) * VectorMultiplier0) + ((f[2] | (f[3] << 16)) * VectorMultiplier1) + (f[4] * VectorMultiplier2))];
    }

    /// The class filter's test for a literal starting at <paramref name="start"/> (see <see cref="ScanFrom"/>).
    private bool GramMayStartAt(ReadOnlySpan<char> text, int start)
    {
        if (start + _gram > text.Length)
        {
            return false;
        }

        var key = 0u;
        for (var k = 0; k < _gram; k++)
        {
            key = (key << _classBits) | _classOf[text[start + k]];
        }

        var bit = (key * _gramMultiplier) >> _gramShift;
        return (_gramStarts[(int)(bit >> 6)] & (1UL << (int)bit)) != 0;
    }

    /// The scalar scan from <paramref name="from"/>, for literals starting there or later.
    private int ScanFrom(ReadOnlySpan<char> text, int from, Span<bool> found, Span<int> lastEnds)
    {
        // Without AVX2 every character of a page passes here (with it, the last twenty and the vector pass's starts):
        // no bounds checks. A char indexes the 65,536 classes, and a hashed or exact key stays below the filter's bit
        // count.
        ref var classOf = ref MemoryMarshal.GetArrayDataReference(_classOf);
        ref var starts = ref MemoryMarshal.GetArrayDataReference(_gramStarts);
        ref var chars = ref MemoryMarshal.GetReference(text);
        var shift = _classBits;
        var mask = _gramMask;
        var multiplier = _gramMultiplier;
        var hashShift = _gramShift;
        var gram = _gram;
        var key = 0u;
        var checkFrom = from + gram - 1;
        var i = from;
        while (i < text.Length)
        {
            key = ((key << shift) | Unsafe.Add(ref classOf, (int)Unsafe.Add(ref chars, i))) & mask;
            var bit = (key * multiplier) >> hashShift;
            if ((Unsafe.Add(ref starts, (int)(bit >> 6)) & (1UL << (int)bit)) == 0 || i < checkFrom)
            {
                i++;
                continue;
            }

            i = RunAutomaton(text, i - gram + 1, found, lastEnds, retiring: null, out var matchStart);
            if (matchStart >= 0)
            {
                return matchStart;
            }

            checkFrom = i + gram - 1;
        }

        return -1;
    }

    /// Runs the automaton from the root at <paramref name="start"/>; returns where skipping may resume. With
    /// <paramref name="found"/> empty it stops at the first literal, its start in <paramref name="matchStart"/> (else -1).
    private int RunAutomaton(ReadOnlySpan<char> text, int start, Span<bool> found, Span<int> lastEnds, uint[]? retiring, out int matchStart)
    {
        matchStart = -1;
        var classOf = _classOf;
        var dense = _dense;
        var classes = _classes;
        var denseStates = _denseStates;
        var reports = _reports;
        var depth = _depth;
        var state = 0;
        for (var j = start; j < text.Length; j++)
        {
            var cls = classOf[text[j]];
            state = state < denseStates ? dense[(state * classes) + cls] : Step(state, cls);
            if (reports[state])
            {
                if (found.IsEmpty)
                {
                    matchStart = j - depth[_literalAt[state] >= 0 ? state : _outputLink[state]] + 1;
                    return j + 1;
                }

                Report(state, found, lastEnds, j + 1, retiring);
            }

            if (depth[state] < _gram && j >= start + _gram - 1)
            {
                return j - depth[state] + 1;
            }
        }

        return text.Length;
    }

    private void Report(int state, Span<bool> found, Span<int> lastEnds, int end, uint[]? retiring)
    {
        for (var s = _literalAt[state] >= 0 ? state : _outputLink[state]; s >= 0; s = _outputLink[s])
        {
            var id = _literalAt[s];
            if (!found[id])
            {
                found[id] = true;
                if (retiring is not null)
                {
                    Retire(id, retiring, found);
                }
            }

            if (!lastEnds.IsEmpty)
            {
                // A run of the automaton may start inside the one before and report an occurrence again.
                lastEnds[_literalAt[s]] = Math.Max(lastEnds[_literalAt[s]], end);
            }
        }
    }

    /// Clears a found literal's keys from <paramref name="filters"/> where every literal entered there is found, unless
    /// its every occurrence is to be reported.
    private void Retire(int id, uint[] filters, Span<bool> found)
    {
        if (!_retires![id])
        {
            return;
        }

        foreach (var bit in _keysOf![id])
        {
            var all = true;
            foreach (var owner in _keyOwners![bit])
            {
                all &= found[owner] && _retires[owner];
            }

            if (all)
            {
                filters[bit >> 5] &= ~(1u << bit);
            }
        }
    }

    /// The automaton's transition, from the trie and failure links (used to build the dense rows, and past them).
    private int Step(int state, byte cls)
    {
        while (true)
        {
            var start = _childStart[state];
            var end = _childStart[state + 1];
            for (var k = start; k < end; k++)
            {
                if (_childClass[k] == cls)
                {
                    return _childTarget[k];
                }
            }

            if (state == 0)
            {
                return 0;
            }

            state = _fail[state];
            if (state < _denseRows)
            {
                return _dense[(state * _classes) + cls];
            }
        }
    }

    /// Character classes: one per distinct ASCII character of the literals (upper and lower case share one), and
    /// class 0 for every other character, which leads back to the root. Literals are ASCII (see
    /// <see cref="RequiredLiterals"/>), so a page's non-ASCII text simply never continues a match.
    private static (byte[] ClassOf, int Classes) Alphabet(IReadOnlyList<string> literals)
    {
        var classOf = new byte[char.MaxValue + 1];
        var classes = 1;
        foreach (var literal in literals)
        {
            if (literal.Length == 0 || !System.Text.Ascii.IsValid(literal))
            {
                throw new ArgumentException($"Literal '{literal}' must be non-empty ASCII.", nameof(literals));
            }

            foreach (var c in literal)
            {
                var lower = char.ToLowerInvariant(c);
                if (classOf[lower] == 0)
                {
                    classOf[lower] = (byte)classes++;
                }
            }
        }

        // Every character that folds to one of them (upper case, and the odd non-ASCII one such as the Kelvin sign,
        // which a case-insensitive regex also takes for a `k`) joins its class.
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var lower = char.ToLowerInvariant((char)c);
            if (lower < 128 && lower != c && classOf[lower] != 0)
            {
                classOf[c] = classOf[lower];
            }
        }

        return (classOf, classes);
    }
}
