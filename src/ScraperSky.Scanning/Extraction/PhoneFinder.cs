using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PhoneNumbers;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Extraction;

/// Phone numbers via libphonenumber: `tel:` links are trusted to be phones and only need to validate; numbers in
/// running text must also look like phones in context, so dates, prices, order ids and VAT numbers stay out.
internal static partial class PhoneFinder
{
    private const int MaxTextChars = 200_000;
    private const int MaxCandidates = 200;

    // The candidate text's first buffer (pooled, grown when outgrown).
    private const int CandidateChars = 16 * 1024;
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    // Words and labels that announce a phone number shortly before it, in the languages the contact-page selector
    // knows; a cue matches at a word start, so "tel" covers "Telefon", "Tel.-Nr." and "telephone".
    private static readonly string[] Cues =
    [
        // English
        "tel", "phone", "call", "office", "mobile", "cell", "hotline", "whatsapp", "ring", "landline", "switchboard",
        "toll-free", "toll free", "freephone", "reach us", "text us",
        // German
        "fon", "mobil", "handy", "festnetz", "rufen", "anruf", "zentrale", "büro", "durchwahl", "erreichen sie",
        "telefonnummer", "rufnummer", "servicenummer",
        // French
        "tél", "téléphone", "appel", "portable", "standard", "joindre", "numéro",
        // Spanish, Italian, Dutch, Portuguese, Nordic, Polish
        "teléfono", "llam", "llámanos", "móvil", "movil", "oficina", "centralita", "chiama", "cellulare", "ufficio",
        "centralino", "numero verde", "bel ons", "bel ons op", "mobiel", "kantoor", "telefone", "ligue", "celular",
        "puhelin", "numer", "☎", "📞", "📱",
    ];

    // Line filtering asks "any cue here?" of every line with digits, and long lines are cut into windows around
    // their cues and `+` signs: the ASCII cues through the fingerprints' literal automaton (ignoring case; a
    // SearchValues ignoring case stops to compare at most words of prose, as these cues share its three-character
    // filter's buckets), the others ordinal, in the spellings pages use, anchored on their non-ASCII letter (a
    // SearchValues over them, ignoring case or not, or a per-cue search, cost more than the rest of the phone work
    // together). Cues such as "téléphone" need no entry of their own: they contain an ASCII cue ("phone").
    private static readonly LiteralSet AsciiCues = new([.. Cues.Where(c => Ascii.IsValid(c))]);

    private static readonly NonAsciiWords OtherCues = new(Cues
        .Where(c => !Ascii.IsValid(c) && !Cues.Any(a => Ascii.IsValid(a) && c.Contains(a, StringComparison.OrdinalIgnoreCase)))
        .SelectMany(c => new[] { c, char.ToUpperInvariant(c[0]) + c[1..], c.ToUpperInvariant() }));

    // How far before a number LooksLikePhone reads for its cue; a number starts within that much of its cue and is
    // never longer than the rest of the window.
    private const int CueReach = 40;
    private const int WindowAfter = CueReach + 60;

    // A line this short may be a number standing on its own (a footer's `<span>(030) 1234 5678</span>`).
    private const int MaxShortLine = 40;

    // A contact block's line is kept whole up to this length (`Sonnenallee 1 · 12045 Berlin · 030 1234567`).
    private const int MaxBlockLine = 400;

    // Words that announce a number which is not a phone to call.
    private static readonly string[] NonPhoneCues =
    [
        "fax", "telefax", "vat", "ust", "tax", "iban", "bic", "swift", "reg", "kvk", "siret", "siren", "hrb", "hra", "order",
        "invoice", "isbn", "id:", "ref", "tva", "iva", "btw", "cif", "nif", "rcs", "uid", "steuer", "bestell", "auftrag",
        "kundennummer", "kundennr", "rechnung", "commande", "facture", "pedido", "factura", "ordine", "fattura", "bestelling", "factuur",
        "tracking", "sendung", "ticket", "artikel", "article", "sku", "plz", "postcode", "zip", "postleitzahl",
        "code postal", "código postal", "cap ", "capital", "stammkapital", "amtsgericht", "tribunal", "company number",
        "registered", "fiscal", "konto", "blz", "aktenzeichen", "az.", "dossier",
    ];

    private static readonly CueTable CuesUpper = new(Cues, NonPhoneCues);

    public static bool TryParseTel(string href, string? region, out PhoneNumberInfo phone)
    {
        phone = null!;
        var raw = href.AsSpan(href.IndexOf(':') + 1).ToString();
        try
        {
            raw = Uri.UnescapeDataString(raw);
        }
        catch (UriFormatException)
        {
            return false;
        }

        var semicolon = raw.IndexOf(';');
        if (semicolon >= 0)
        {
            raw = raw[..semicolon];
        }

        return TryParse(raw, region, out phone);
    }

    public static bool TryParse(string raw, string? region, out PhoneNumberInfo phone)
    {
        phone = null!;

        // Parse throws for what cannot be a number (a date's `7`, a price's `00`), and throwing costs more than parsing:
        // no region's valid numbers have fewer than four digits.
        if (raw.Length is 0 or > 64 || raw.Count(char.IsDigit) < 4)
        {
            return false;
        }

        try
        {
            var number = Util.Parse(raw, region ?? "ZZ");
            if (!Util.IsValidNumber(number))
            {
                return false;
            }

            phone = ToInfo(number);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// Numbers written in <paramref name="pageText"/> (the page's visible text, blocks separated by new lines).
    /// <param name="contactBlocks">Parts of the text (`&lt;address&gt;`, footers, a whole legal notice) where a number
    /// written as a phone is the business's own and needs no cue; the other checks still apply.</param>
    public static void FindIn(ReadOnlySpan<char> pageText, string? region, ICollection<PhoneNumberInfo> found,
        IReadOnlyList<Range>? contactBlocks = null)
    {
        if (pageText.Length > MaxTextChars)
        {
            pageText = pageText[..MaxTextChars];
        }

        var blocks = new List<(int Start, int End)>();
        foreach (var range in contactBlocks ?? [])
        {
            var start = range.Start.GetOffset(pageText.Length);
            var end = Math.Min(range.End.GetOffset(pageText.Length), pageText.Length);
            if (start < end)
            {
                blocks.Add((start, end));
            }
        }

        var candidateBlocks = new List<(int Start, int End)>();
        string text;
        using (var candidates = new HtmlExtractor.TextBuffer(CandidateChars))
        {
            CandidateLines(pageText, blocks, candidateBlocks, candidates);
            NonPhoneDigits.Blank(candidates.Written, RefusedForNonPhoneCue);
            text = candidates.Span.ToString();
        }

        var matches = 0;
        foreach (var match in Util.FindNumbers(text, region ?? "ZZ", PhoneNumberUtil.Leniency.VALID, MaxCandidates))
        {
            if (++matches > MaxCandidates)
            {
                break;
            }

            var inBlock = candidateBlocks.Any(b => match.Start >= b.Start && match.Start < b.End);
            if (!LooksLikePhone(text, match, inBlock))
            {
                continue;
            }

            var e164 = Util.Format(match.Number, PhoneNumberFormat.E164);
            if (!found.Any(p => p.E164 == e164))
            {
                found.Add(new(Util.Format(match.Number, PhoneNumberFormat.INTERNATIONAL), e164));
            }
        }
    }

    /// Only the text <see cref="LooksLikePhone"/> could accept a number in: lines with digits and a cue, a `+`, or
    /// short enough to be a number on its own line, each after the end of the line before (a label such as
    /// `<dt>Phone</dt>`), and whole lines of contact blocks (noted in <paramref name="candidateBlocks"/> by their place
    /// in the result). Of a long line only windows around its cues and `+` signs are kept, reaching as far as a
    /// cue may stand before its number: libphonenumber's matcher is the costly part of a page, and most of a page's
    /// text is sentences, dates and prices it would only reject.
    private static void CandidateLines(ReadOnlySpan<char> text, List<(int Start, int End)> blocks, List<(int Start, int End)> candidateBlocks,
        HtmlExtractor.TextBuffer builder)
    {
        var appendedLineEnd = -1;

        // Whether the line ending at knownLineEnd holds a cue: lines of figures come in runs, and a line searched for
        // one is the next one's line before.
        var knownLineEnd = -1;
        var knownHasCue = false;

        // From digit to digit rather than line by line: most lines of a page have none, and the search skips them.
        var from = 0;
        while (from < text.Length)
        {
            var digit = text[from..].IndexOfAnyInRange('0', '9');
            if (digit < 0)
            {
                break;
            }

            digit += from;
            var lineStart = text[..digit].LastIndexOf('\n') + 1;
            var lineEnd = text[digit..].IndexOf('\n') is var end and >= 0 ? digit + end : text.Length;
            var line = text[lineStart..lineEnd];
            from = lineEnd + 1;

            // The search started at a line's start, so the line has no digit before this one.
            if (!HasDigits(text[digit..lineEnd], 5))
            {
                continue;
            }

            var previous = lineStart == 0 ? [] : text[(text[..(lineStart - 1)].LastIndexOf('\n') + 1)..(lineStart - 1)];
            var inBlock = Overlaps(blocks, lineStart, lineEnd);
            var whole = inBlock ? line.Length <= MaxBlockLine : line.Trim().Length <= MaxShortLine;

            // Whether the line before ends in a label matters only to a line cut into windows (a whole line is kept
            // as it is); such a line without one is kept only for a cue or `+` of its own somewhere.
            var afterLabel = false;
            if (!whole)
            {
                afterLabel = lineStart > 0 && lineStart - 1 == knownLineEnd ? knownHasCue : HasCue(previous);
                if (!afterLabel)
                {
                    (knownLineEnd, knownHasCue) = (lineEnd, HasCue(line));
                    if (!knownHasCue && !line.Contains('+'))
                    {
                        continue;
                    }
                }
            }

            if (appendedLineEnd != lineStart - 1 && !previous.IsEmpty)
            {
                AppendLine(builder, previous[Math.Max(0, previous.Length - CueReach)..]);
            }

            var start = builder.Length;
            if (whole ? AppendLine(builder, line) : AppendWindows(builder, line, afterLabel))
            {
                appendedLineEnd = lineEnd;
                if (inBlock)
                {
                    candidateBlocks.Add((start, builder.Length));
                }
            }
        }

    }

    /// Whether the line from <paramref name="start"/> to <paramref name="end"/> overlaps one of <paramref name="blocks"/>.
    private static bool Overlaps(List<(int Start, int End)> blocks, int start, int end)
    {
        foreach (var block in blocks)
        {
            if (start < block.End && end > block.Start)
            {
                return true;
            }
        }

        return false;
    }

    /// <paramref name="line"/> and a line break.
    private static bool AppendLine(HtmlExtractor.TextBuffer builder, ReadOnlySpan<char> line)
    {
        builder.Append(line);
        builder.Append('\n');
        return true;
    }

    /// The parts of a long line where a number could be accepted: from <see cref="CueReach"/> before each cue or `+`
    /// that a digit follows within reach to <see cref="WindowAfter"/> past it (and the line's start, when the line
    /// before ends in a label). Only the stretches a digit follows within reach are searched for cues: a long line is
    /// mostly prose, and cues in it ("our office", "call" in a sentence) with no number after them would only be
    /// passed over.
    private static bool AppendWindows(HtmlExtractor.TextBuffer builder, ReadOnlySpan<char> line, bool afterLabel)
    {
        var windows = new Windows(builder, line);
        if (afterLabel)
        {
            windows.Add(0);
        }

        var stretchEnd = -1;
        while (stretchEnd + 1 < line.Length)
        {
            // A stretch: every start from which a digit lies within CueReach + 2 characters, those of nearby digits
            // joined.
            var digit = line[(stretchEnd + 1)..].IndexOfAnyInRange('0', '9');
            if (digit < 0)
            {
                break;
            }

            digit += stretchEnd + 1;
            var stretchStart = Math.Max(0, digit - CueReach - 1);
            stretchEnd = digit;
            while (stretchEnd + 1 < line.Length)
            {
                // Digits come in runs: the next one is most often right after the last, found without a search.
                if (char.IsAsciiDigit(line[stretchEnd + 1]))
                {
                    stretchEnd++;
                    continue;
                }

                var next = line[(stretchEnd + 1)..Math.Min(line.Length, stretchEnd + CueReach + 3)].IndexOfAnyInRange('0', '9');
                if (next < 0)
                {
                    break;
                }

                stretchEnd += 1 + next;
            }

            AnchorsIn(ref windows, line, stretchStart, stretchEnd);
        }

        return windows.Flush();
    }

    /// Adds the windows of the cues and `+` signs from <paramref name="first"/> to the digit at <paramref name="last"/>
    /// (cues hold no digits, so one starting there ends before it). Three cursors (ASCII cues, other cues, `+`), each
    /// searched again from one past its last find, as a search of the whole line from its start meets them: a cue
    /// search answers with the cue that ends first, so where cues overlap ("freephone", "phone") the one met depends
    /// on where the search started.
    private static void AnchorsIn(ref Windows windows, ReadOnlySpan<char> line, int first, int last)
    {
        var searched = line[..last];
        var ascii = After(first, AsciiCues.IndexOfAny(searched[first..]));
        var other = After(first, OtherCues.IndexOfAny(searched[first..]));
        var plus = After(first, searched[first..].IndexOf('+'));
        while (true)
        {
            var anchor = First(First(ascii, other), plus);
            if (anchor < 0)
            {
                return;
            }

            // A digit lies within reach of every anchor of a stretch; a cue with fewer than five digits after it is no
            // phone's (a date's year, a price).
            if (HasDigits(line[anchor..Math.Min(line.Length, anchor + WindowAfter)], 5))
            {
                windows.Add(anchor);
            }

            var next = anchor + 1;
            ascii = ascii == anchor ? After(next, AsciiCues.IndexOfAny(searched[next..])) : ascii;
            other = other == anchor ? After(next, OtherCues.IndexOfAny(searched[next..])) : other;
            plus = plus == anchor ? After(next, searched[next..].IndexOf('+')) : plus;
        }
    }

    /// The windows of a long line, each from <see cref="CueReach"/> before its anchor to <see cref="WindowAfter"/>
    /// past it, overlapping ones joined, appended as lines.
    private ref struct Windows(HtmlExtractor.TextBuffer builder, ReadOnlySpan<char> line)
    {
        private readonly ReadOnlySpan<char> _line = line;
        private int _start = -1;
        private int _end = -1;
        private bool _any;

        public void Add(int anchor)
        {
            var start = Math.Max(0, anchor - CueReach);
            var end = Math.Min(_line.Length, anchor + WindowAfter);
            if (_end >= start)
            {
                _end = Math.Max(_end, end);
                return;
            }

            Flush();
            (_start, _end) = (start, end);
        }

        /// Appends the window in progress; whether any was appended.
        public bool Flush()
        {
            if (_end > _start)
            {
                AppendLine(builder, _line[_start.._end]);
                _any = true;
            }

            (_start, _end) = (-1, -1);
            return _any;
        }
    }

    private static int First(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    private static int After(int from, int found) => found < 0 ? -1 : from + found;

    /// Whether <paramref name="line"/> holds at least <paramref name="count"/> ASCII digits; a vectorised hop from digit
    /// to digit, since most lines of a page have none, but none to a digit right after the last: digits come in runs.
    internal static bool HasDigits(ReadOnlySpan<char> line, int count)
    {
        var at = 0;
        while (count > 0)
        {
            if (at < line.Length && char.IsAsciiDigit(line[at]))
            {
                count--;
                at++;
                continue;
            }

            var next = line[at..].IndexOfAnyInRange('0', '9');
            if (next < 0)
            {
                return false;
            }

            count--;
            at += next + 1;
        }

        return true;
    }

    /// Whether <paramref name="line"/> may hold a cue; a superset, as the callers only narrow down.
    private static bool HasCue(ReadOnlySpan<char> line) => AsciiCues.IndexOfAny(line) >= 0 || OtherCues.IndexOfAny(line) >= 0;

    private static bool LooksLikePhone(string text, PhoneNumberMatch match, bool inContactBlock)
    {
        var (lineStart, cue, nonPhone) = CuesBefore(text, match.Start);
        if (nonPhone)
        {
            // "Fax: ..." or "VAT no. ..." is at least as close as any phone cue.
            return false;
        }

        if (DateLike().IsMatch(match.RawString) || IsPrice(text, match))
        {
            return false;
        }

        var international = match.RawString.StartsWith('+') || match.RawString.StartsWith("00", StringComparison.Ordinal);
        var digits = match.RawString.Count(char.IsAsciiDigit);
        var grouped = match.RawString.Any(c => c is ' ' or '-' or '.' or '(' or '/');
        if (cue >= 0)
        {
            return true;
        }

        // Without a cue: an international number written as one, a national number written as one in a contact block,
        // or a separately written national number that fills its own line (a footer's `<span>(030) 1234 5678</span>`),
        // never a digit run inside a sentence.
        if (inContactBlock && grouped && digits >= 7)
        {
            return true;
        }

        var lineEnd = text.IndexOf('\n', (match.Start + match.Length));
        var line = text.AsSpan(lineStart, (lineEnd < 0 ? text.Length : lineEnd) - lineStart).Trim();
        return (international && grouped) || (grouped && digits >= 7 && line.Length <= match.RawString.Length + 4);
    }

    /// Where the line of a number starting at <paramref name="start"/> starts, and where the cue nearest before it
    /// starts (-1: none), and whether that is a non-phone cue (at least as near as any phone cue): within
    /// <see cref="CueReach"/> before it on its line, or on the line before when the number opens its line.
    private static (int LineStart, int Cue, bool NonPhone) CuesBefore(ReadOnlySpan<char> text, int start)
    {
        var lineStart = text[..start].LastIndexOf('\n') + 1;
        var contextStart = lineStart;
        if (text[lineStart..start].IsWhiteSpace() && lineStart > 1)
        {
            // The number opens its line: its label is the block before (`<dt>Phone</dt><dd>030 ...</dd>`).
            contextStart = text[..(lineStart - 1)].LastIndexOf('\n') + 1;
        }

        var windowStart = Math.Max(contextStart, start - CueReach);
        var before = text[windowStart..start];
        Span<char> upper = stackalloc char[before.Length];
        before.ToUpperInvariant(upper);
        var (cue, nonPhone) = CuesUpper.Nearest(before, upper);
        return (lineStart, cue < 0 ? -1 : windowStart + cue, nonPhone);
    }

    /// Whether <see cref="LooksLikePhone"/> would refuse every number libphonenumber's matcher could read in the digit
    /// group from <paramref name="leadStart"/> (the characters joined to its first digit, where a `+` or `(` may open
    /// it) to <paramref name="end"/>, for a non-phone cue at least as near as any phone cue (`Fax: 030 1234568`,
    /// `Bestellnummer 964376702`): the matcher would parse and validate it for nothing.
    ///
    /// A number starts at a `+`, a bracket or a digit. Those before the first digit are each asked; of those after it,
    /// none has a cue the first digit lacks (a cue holds no digit), and each sees no more of the line before: the
    /// non-phone cue refusing the first digit's number refuses theirs while it stays within their reach.
    private static bool RefusedForNonPhoneCue(ReadOnlySpan<char> text, int leadStart, int end)
    {
        var first = leadStart;
        while (!char.IsDigit(text[first]))
        {
            if (IsNumberLead(text[first]) && !CuesBefore(text, first).NonPhone)
            {
                return false;
            }

            first++;
        }

        var (lineStart, cue, nonPhone) = CuesBefore(text, first);
        return nonPhone && cue >= lineStart && cue >= end - 1 - CueReach;
    }

    /// The characters the matcher lets open a number before its first digit: plus signs and opening brackets.
    private static bool IsNumberLead(char c) => c is '+' or '\uFF0B' or '(' or '[' or '\uFF08' or '\uFF3B';

    /// The phone and non-phone cues upper-cased, found in a window upper-cased as an ignore-case search compares (which
    /// crawls character by character under invariant globalization when the text or the cue has a letter beyond ASCII).
    private sealed class CueTable
    {
        private readonly string[] _cues;
        private readonly bool[] _nonPhone;

        // The cues by their first character: ASCII ones by code, the others (`☎`, emoji) looked up.
        private readonly int[]?[] _byAscii = new int[]?[128];
        private readonly Dictionary<char, int[]> _byOther;

        public CueTable(IEnumerable<string> phoneCues, IEnumerable<string> nonPhoneCues)
        {
            var cues = phoneCues.Select(c => (Cue: c.ToUpperInvariant(), NonPhone: false))
                .Concat(nonPhoneCues.Select(c => (Cue: c.ToUpperInvariant(), NonPhone: true))).ToArray();
            _cues = [.. cues.Select(c => c.Cue)];
            _nonPhone = [.. cues.Select(c => c.NonPhone)];
            var byFirst = Enumerable.Range(0, _cues.Length).GroupBy(i => _cues[i][0]).ToDictionary(g => g.Key, g => g.ToArray());
            foreach (var (first, ids) in byFirst.Where(f => char.IsAscii(f.Key)))
            {
                _byAscii[first] = ids;
            }

            _byOther = byFirst.Where(f => !char.IsAscii(f.Key)).ToDictionary();
        }

        /// The nearest cue to the end of <paramref name="text"/> (-1: none), of each cue its last occurrence in
        /// <paramref name="upperText"/> (the text upper-cased) where it starts a word, and whether it is a non-phone
        /// cue (one starting where a phone cue does counts as nearer). One pass from the end: the first last occurrence
        /// met that starts a word is the nearest.
        public (int At, bool NonPhone) Nearest(ReadOnlySpan<char> text, ReadOnlySpan<char> upperText)
        {
            Span<bool> passed = stackalloc bool[_cues.Length];
            passed.Clear();
            for (var at = upperText.Length - 1; at >= 0; at--)
            {
                var c = upperText[at];
                var ids = c < 128 ? _byAscii[c] : _byOther.GetValueOrDefault(c);
                if (ids is null)
                {
                    continue;
                }

                var rest = upperText[at..];
                var phone = false;
                foreach (var id in ids)
                {
                    var cue = _cues[id];
                    if (passed[id] || cue.Length > rest.Length || (cue.Length > 1 && cue[1] != rest[1]) || !rest.StartsWith(cue))
                    {
                        continue;
                    }

                    passed[id] = true;
                    if (!IsWordStart(text, at))
                    {
                        continue;
                    }

                    if (_nonPhone[id])
                    {
                        return (at, true);
                    }

                    phone = true;
                }

                if (phone)
                {
                    return (at, false);
                }
            }

            return (-1, false);
        }
    }

    private static bool IsPrice(string text, PhoneNumberMatch match)
    {
        var before = text.AsSpan(0, match.Start).TrimEnd();
        var after = text.AsSpan((match.Start + match.Length)).TrimStart();
        return (before.Length > 0 && char.GetUnicodeCategory(before[^1]) == System.Globalization.UnicodeCategory.CurrencySymbol)
            || (after.Length > 0 && char.GetUnicodeCategory(after[0]) == System.Globalization.UnicodeCategory.CurrencySymbol);
    }

    private static bool IsWordStart(ReadOnlySpan<char> text, int index) => index == 0 || !char.IsLetter(text[index - 1]);

    private static PhoneNumberInfo ToInfo(PhoneNumber number) =>
        new(Util.Format(number, PhoneNumberFormat.INTERNATIONAL), Util.Format(number, PhoneNumberFormat.E164));

    /// <paramref name="phone"/> with its type and country. Asked once per distinct number of a site, not per page:
    /// libphonenumber tells the type by matching the number against each type's patterns.
    public static PhoneNumberInfo Describe(PhoneNumberInfo phone)
    {
        var number = FromE164(phone.E164);
        return number is null ? phone : phone with
        {
            Type = TypeNames[Util.GetNumberType(number)],
            Region = Util.GetRegionCodeForNumber(number),
        };
    }

    // libphonenumber's types in snake_case.
    private static readonly Dictionary<PhoneNumberType, string> TypeNames =
        Enum.GetValues<PhoneNumberType>().ToDictionary(type => type, type => type.ToString().ToLowerInvariant());

    /// The number <paramref name="e164"/> was formatted from as far as its type and country go (both read only its
    /// calling code and national significant number), or null when it has no known calling code: the E.164 form is
    /// `+`, the code and the national significant number with its leading zeros, read back here without parsing, the
    /// costlier half of describing a number.
    private static PhoneNumber? FromE164(string e164)
    {
        if (e164.Length < 3 || e164[0] != '+' || e164.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        // Calling codes have one to three digits, and none is the start of another.
        for (var length = 1; length <= 3 && 1 + length < e164.Length; length++)
        {
            var code = int.Parse(e164.AsSpan(1, length), CultureInfo.InvariantCulture);
            if (Util.GetRegionCodeForCountryCode(code) == UnknownRegion)
            {
                continue;
            }

            // As libphonenumber keeps them: the zeros a national number starts with (all but its last digit at most)
            // are counted beside it.
            var national = e164.AsSpan(1 + length);
            var zeros = 0;
            while (zeros < national.Length - 1 && national[zeros] == '0')
            {
                zeros++;
            }

            return new PhoneNumber.Builder()
                .SetCountryCode(code)
                .SetNationalNumber(ulong.Parse(national, CultureInfo.InvariantCulture))
                .SetNumberOfLeadingZeros(zeros)
                .Build();
        }

        return null;
    }

    private const string UnknownRegion = "ZZ";

    public static bool IsSupportedRegion(string region) => SupportedRegions.Contains(region);

    // libphonenumber builds a new set of its ~245 regions at each GetSupportedRegions call: asked a few times a page
    // (RegionHints), that was a tenth of the lane's allocations in a load run.
    private static readonly FrozenSet<string> SupportedRegions = Util.GetSupportedRegions().ToFrozenSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\(?\d{1,4}\)?[./-]\d{1,2}[./-]\d{1,4}$")]
    private static partial Regex DateLike();
}
