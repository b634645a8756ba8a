using System.Buffers;
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

    private static readonly string[] UpperCues = [.. Cues.Select(c => c.ToUpperInvariant())];
    private static readonly string[] UpperNonPhoneCues = [.. NonPhoneCues.Select(c => c.ToUpperInvariant())];

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
            NonPhoneDigits.Blank(candidates.Written);
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
        var searchedLineEnd = -1;
        var searchedLineHasCue = false;

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
            if (!HasDigits(line, 5))
            {
                continue;
            }

            var previous = lineStart == 0 ? [] : text[(text[..(lineStart - 1)].LastIndexOf('\n') + 1)..(lineStart - 1)];
            var inBlock = Overlaps(blocks, lineStart, lineEnd);
            var whole = inBlock ? line.Length <= MaxBlockLine : line.Trim().Length <= MaxShortLine;

            // Whether the line before ends in a label matters only to a line cut into windows (a whole line is kept
            // as it is). It was searched already when it had digits of its own (lines of figures come in runs).
            var afterLabel = !whole && (lineStart > 0 && lineStart - 1 == searchedLineEnd ? searchedLineHasCue : HasCue(previous));
            var cues = whole ? CueCursors.Unsearched : CueCursors.Of(line);
            searchedLineEnd = whole ? -1 : lineEnd;
            searchedLineHasCue = cues.Ascii >= 0 || cues.Other >= 0;
            if (!whole && !afterLabel && cues.First < 0)
            {
                continue;
            }

            if (appendedLineEnd != lineStart - 1 && !previous.IsEmpty)
            {
                AppendLine(builder, previous[Math.Max(0, previous.Length - CueReach)..]);
            }

            var start = builder.Length;
            if (whole ? AppendLine(builder, line) : AppendWindows(builder, line, afterLabel, cues))
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
    /// to <see cref="WindowAfter"/> past it (and the line's start, when the line before ends in a label).
    private static bool AppendWindows(HtmlExtractor.TextBuffer builder, ReadOnlySpan<char> line, bool afterLabel, CueCursors first)
    {
        var windowStart = -1;
        var windowEnd = -1;
        var any = false;

        void Add(HtmlExtractor.TextBuffer builder, ReadOnlySpan<char> line, int anchor, ref int windowStart, ref int windowEnd, ref bool any)
        {
            var start = Math.Max(0, anchor - CueReach);
            var end = Math.Min(line.Length, anchor + WindowAfter);
            if (windowEnd >= start)
            {
                windowEnd = Math.Max(windowEnd, end);
                return;
            }

            if (windowEnd > windowStart)
            {
                AppendLine(builder, line[windowStart..windowEnd]);
                any = true;
            }

            (windowStart, windowEnd) = (start, end);
        }

        if (afterLabel)
        {
            Add(builder, line, 0, ref windowStart, ref windowEnd, ref any);
        }

        // Three cursors (ASCII cues, other cues, `+`), each searched again only once passed, so a line costs one pass
        // per kind whatever the number of anchors on it; the first of each comes from the line's filtering.
        var (ascii, other, plus) = (first.Ascii, first.Other, first.Plus);
        for (var i = 0; i < line.Length; i++)
        {
            ascii = ascii == -1 || ascii >= i ? ascii : After(i, AsciiCues.IndexOfAny(line[i..]));
            other = other == -1 || other >= i ? other : After(i, OtherCues.IndexOfAny(line[i..]));
            plus = plus == -1 || plus >= i ? plus : After(i, line[i..].IndexOf('+'));
            var next = First(First(ascii, other), plus);
            if (next < 0)
            {
                break;
            }

            i = next;

            // A cue with no number starting within its reach ("our office", "call" in prose) costs the matcher nothing:
            // LooksLikePhone would not take one further away for it (a `(` or `+` may come before the first digit).
            if (line[i..Math.Min(line.Length, i + CueReach + 2)].IndexOfAnyInRange('0', '9') >= 0
                && HasDigits(line[i..Math.Min(line.Length, i + WindowAfter)], 5))
            {
                Add(builder, line, i, ref windowStart, ref windowEnd, ref any);
            }
        }

        if (windowEnd > windowStart)
        {
            AppendLine(builder, line[windowStart..windowEnd]);
            any = true;
        }

        return any;
    }

    private static int First(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    private static int After(int from, int found) => found < 0 ? -1 : from + found;

    /// Whether <paramref name="line"/> holds at least <paramref name="count"/> ASCII digits; a vectorised hop from digit
    /// to digit, since most lines of a page have none.
    private static bool HasDigits(ReadOnlySpan<char> line, int count)
    {
        while (count > 0)
        {
            var next = line.IndexOfAnyInRange('0', '9');
            if (next < 0)
            {
                return false;
            }

            count--;
            line = line[(next + 1)..];
        }

        return true;
    }

    /// Whether <paramref name="line"/> may hold a cue; a superset, as the callers only narrow down.
    private static bool HasCue(ReadOnlySpan<char> line) => AsciiCues.IndexOfAny(line) >= 0 || OtherCues.IndexOfAny(line) >= 0;

    /// Where the first ASCII cue, other cue and `+` of a line may start (-1: none; -2: not searched yet).
    private readonly record struct CueCursors(int Ascii, int Other, int Plus)
    {
        public static CueCursors Unsearched { get; } = new(-2, -2, -2);

        public int First => PhoneFinder.First(PhoneFinder.First(Ascii, Other), Plus);

        public static CueCursors Of(ReadOnlySpan<char> line) =>
            new(AsciiCues.IndexOfAny(line), OtherCues.IndexOfAny(line), line.IndexOf('+'));
    }

    private static bool LooksLikePhone(string text, PhoneNumberMatch match, bool inContactBlock)
    {
        var lineStart = match.Start == 0 ? 0 : text.LastIndexOf('\n', match.Start - 1) + 1;
        var contextStart = lineStart;
        if (text.AsSpan(lineStart, match.Start - lineStart).IsWhiteSpace() && lineStart > 1)
        {
            // The number opens its line: its label is the block before (`<dt>Phone</dt><dd>030 ...</dd>`).
            contextStart = text.LastIndexOf('\n', lineStart - 2) + 1;
        }

        var windowStart = Math.Max(contextStart, match.Start - CueReach);
        var before = text.AsSpan(windowStart, match.Start - windowStart);
        Span<char> upper = stackalloc char[before.Length];
        before.ToUpperInvariant(upper);
        var nearest = NearestCue(before, upper, UpperNonPhoneCues);
        var cue = NearestCue(before, upper, UpperCues);
        if (nearest >= 0 && nearest >= cue)
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

    /// Position of the last cue in <paramref name="text"/>, or -1: an ordinal search of the upper-cased text for the
    /// upper-cased cues, as an ignore-case one compares (which crawls character by character under invariant
    /// globalization when the text or the cue has a letter beyond ASCII: a third of the phone work).
    private static int NearestCue(ReadOnlySpan<char> text, ReadOnlySpan<char> upperText, string[] upperCues)
    {
        var best = -1;
        foreach (var cue in upperCues)
        {
            var index = upperText.LastIndexOf(cue);
            if (index >= 0 && IsWordStart(text, index))
            {
                best = Math.Max(best, index);
            }
        }

        return best;
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
        try
        {
            var number = Util.Parse(phone.E164, "ZZ");
            return phone with
            {
                Type = Util.GetNumberType(number).ToString().ToLowerInvariant(),
                Region = Util.GetRegionCodeForNumber(number),
            };
        }
        catch (NumberParseException)
        {
            return phone;
        }
    }

    public static bool IsSupportedRegion(string region) => Util.GetSupportedRegions().Contains(region);

    [GeneratedRegex(@"^\(?\d{1,4}\)?[./-]\d{1,2}[./-]\d{1,4}$")]
    private static partial Regex DateLike();
}
