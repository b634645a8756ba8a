using System.Buffers;
using System.Text.RegularExpressions;
using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Extraction;

/// The company behind a page, from its JSON-LD and its text: legal name, postal address, VAT id, register entries and
/// managing directors. Text is read line by line (blocks end lines), and only lines holding a label word are matched
/// at all (one vectorised search of the page), so an ordinary page costs next to nothing. Names and addresses without
/// a label are only taken from a legal notice page or an `&lt;address&gt;` or footer block, where a line such as
/// "Bäckerei Sonnenschein GmbH" is the business itself and not a partner or a customer.
internal static partial class CompanyFinder
{
    private const int MaxLines = 2_000;
    private const int MaxDirectors = 5;

    // The words that open a labelled fact; a superset, as each line found is matched by the patterns below. The
    // abbreviations in the spellings registers use, matched exactly: ignoring case, "ust" and "vat" are in "customers"
    // and "private", and every line of prose would be matched.
    private static readonly SearchValues<string> Abbreviations = SearchValues.Create(
    [
        "HRB", "HRA", "SIRE", "Sire", "RCS", "CIF", "NIF", "N.I.F", "C.I.F", "IVA", "Iva", "KvK", "KVK", "K.v.K",
        "VAT", "Vat ", "TVA", "BTW", "Btw", "UID", "USt", "UST", "MWST",
    ], StringComparison.Ordinal);

    private static readonly string[] LabelWordList =
    [
        "umsatzsteuer", "partita", "siret", "siren", "kamer van koophandel", "company n", "company reg", "registered in",
        "registered no", "registered number", "vertreten durch", "geschaeftsf", "directeur", "directrice", "administrador",
        "amministrator", "bestuurder", "managing director", "raison sociale", "nomination", "denominaci", "social:",
        "social :", "ragione sociale", "denominazione", "bedrijfsnaam", "statutaire naam", "firma:", "firmenname",
        "firmenbezeichnung", "legal name", "company name", "registered name",
    ];

    // The fingerprints' literal automaton rather than a SearchValues ignoring case: on prose the latter stops to
    // compare at most words (its three-character filter shares buckets among these words), nine-tenths of this stage.
    private static readonly LiteralSet LabelWords = new(LabelWordList);

    // Labels with letters beyond ASCII, in the spellings pages use.
    private static readonly NonAsciiWords OtherLabelWords =
        new(["Geschäftsf", "geschäftsf", "GESCHÄFTSF", "Gérant", "gérant", "GÉRANT", "Razón social", "razón social"]);

    private static int First(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    private static int After(int from, int found) => found < 0 ? -1 : from + found;

    /// <param name="blocks">Text of the page's `&lt;address&gt;` and footer blocks.</param>
    /// <param name="regionHint">The region the TLD or language suggests, for an address that names no country.</param>
    public static CompanyDetails? Find(ReadOnlySpan<char> text, IReadOnlyList<string> blocks, bool isLegalNotice,
        JsonLdFacts json, string? regionHint, string page)
    {
        string? labelledName = null;
        string? vat = null;
        var ids = new List<RegistrationId>();
        var directors = new List<SourcedValue>();
        ReadLabelledLines(text, page, ref labelledName, ref vat, ids, directors);

        foreach (var taxId in json.TaxIds)
        {
            vat ??= VatId(taxId);
        }

        var address = json.Address is { } ld ? ld with { Page = page } : null;
        string? formName = null;
        foreach (var block in isLegalNotice ? [.. blocks, text.ToString()] : blocks)
        {
            address ??= PostalAddressParser.Find(block, regionHint, page);
            formName ??= NameWithLegalForm(block);
        }

        var name = json.LegalName ?? labelledName ?? formName
            ?? (json.OrganizationName is { } n && LegalFormName().IsMatch(n) ? n : null);
        var details = new CompanyDetails
        {
            LegalName = name is null ? null : new SourcedValue(name, page),
            Address = address,
            Country = address?.Country is { Length: 2 } country ? new SourcedValue(country, page) : null,
            VatId = vat is null ? null : new SourcedValue(vat, page),
            RegistrationIds = ids,
            ManagingDirectors = directors,
        };
        return details.IsEmpty ? null : details;
    }

    private static void ReadLabelledLines(ReadOnlySpan<char> text, string page, ref string? name, ref string? vat,
        List<RegistrationId> ids, List<SourcedValue> directors)
    {
        // Three cursors, each searched again only once passed, so a page costs one pass per kind of label (and a page
        // without labels one pass in all: no search beforehand asks whether there are any).
        int abbreviation = -2, word = -2, other = -2;
        var lines = 0;
        var from = 0;
        while (from < text.Length && lines++ < MaxLines)
        {
            abbreviation = abbreviation == -1 || abbreviation >= from ? abbreviation : After(from, text[from..].IndexOfAny(Abbreviations));
            word = word == -1 || word >= from ? word : After(from, LabelWords.IndexOfAny(text[from..]));
            other = other == -1 || other >= from ? other : After(from, OtherLabelWords.IndexOfAny(text[from..]));
            var hit = First(First(abbreviation, word), other);
            if (hit < 0)
            {
                return;
            }

            var lineStart = text[..hit].LastIndexOf('\n') + 1;
            var lineEnd = text[hit..].IndexOf('\n') is var end and >= 0 ? hit + end : text.Length;
            var nextEnd = lineEnd < text.Length && text[(lineEnd + 1)..].IndexOf('\n') is var next and >= 0 ? lineEnd + 1 + next : text.Length;
            from = lineEnd + 1;
            var line = text[lineStart..lineEnd].Trim().ToString();
            if (line.Length > 300)
            {
                continue;
            }

            // A label may end its line, its value opening the next (`<dt>USt-IdNr.</dt><dd>DE…</dd>`).
            var nextLine = lineEnd < text.Length ? text[(lineEnd + 1)..nextEnd].Trim().ToString() : string.Empty;
            var both = nextLine.Length is > 0 and <= 200 ? line + "\n" + nextLine : line;
            ReadLine(line, both, nextLine, page, ref name, ref vat, ids, directors);
        }
    }

    private static void ReadLine(string line, string both, string nextLine, string page, ref string? name, ref string? vat,
        List<RegistrationId> ids, List<SourcedValue> directors)
    {
        if (vat is null && VatLabel().Match(both) is { Success: true } vatMatch)
        {
            vat = VatId(vatMatch.Groups["id"].Value);
        }

        foreach (Match m in Handelsregister().Matches(line))
        {
            var suffix = m.Groups["suffix"].Success ? " " + m.Groups["suffix"].Value : string.Empty;
            AddId(ids, "handelsregister", $"{m.Groups["kind"].Value} {m.Groups["number"].Value}{suffix}", page);
        }

        if (Siret().Match(both) is { Success: true } siret && Luhn(Digits(siret.Groups["id"].Value)))
        {
            AddId(ids, "siret", Digits(siret.Groups["id"].Value), page);
        }

        if (Siren().Match(both) is { Success: true } siren && Luhn(Digits(siren.Groups["id"].Value)))
        {
            AddId(ids, "siren", Digits(siren.Groups["id"].Value), page);
        }

        if (SpanishTaxId().Match(both) is { Success: true } cif)
        {
            var id = cif.Groups["id"].Value.Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            AddId(ids, char.IsAsciiLetter(id[0]) ? "cif" : "nif", id, page);
        }

        if (PartitaIva().Match(both) is { Success: true } piva && Luhn(piva.Groups["id"].Value))
        {
            AddId(ids, "partita_iva", piva.Groups["id"].Value, page);
            vat ??= "IT" + piva.Groups["id"].Value;
        }

        if (Kvk().Match(both) is { Success: true } kvk)
        {
            AddId(ids, "kvk", kvk.Groups["id"].Value, page);
        }

        if (CompanyNumber().Match(both) is { Success: true } number)
        {
            AddId(ids, "company_number", number.Groups["id"].Value.ToUpperInvariant(), page);
        }

        if (name is null && NameLabel().Match(line) is { Success: true } label)
        {
            var value = label.Groups["name"].Value.Trim();
            name = value.Length is > 1 and <= 100 ? value : null;
        }

        if (directors.Count < MaxDirectors && DirectorLabel().Match(line) is { Success: true } director)
        {
            var names = director.Groups["names"].Value.Trim();
            foreach (var person in SplitNames(names.Length == 0 ? nextLine : names))
            {
                if (directors.Count < MaxDirectors && !directors.Any(d => d.Value.Equals(person, StringComparison.OrdinalIgnoreCase)))
                {
                    directors.Add(new SourcedValue(person, page));
                }
            }
        }
    }

    private static void AddId(List<RegistrationId> ids, string type, string value, string page)
    {
        if (!ids.Any(i => i.Type == type && i.Value == value))
        {
            ids.Add(new RegistrationId(type, value, page));
        }
    }

    /// A VAT id as written (`DE 301 234 567`, `FR 12 345678901`) in its compact form, if it has a member state's shape.
    internal static string? VatId(string written)
    {
        var compact = string.Concat(written.Where(char.IsAsciiLetterOrDigit)).ToUpperInvariant();
        return VatShape().Match(compact) is { Success: true } m ? m.Value : null;
    }

    /// The people named after a directors' label: split at commas and conjunctions, titles dropped, and only what
    /// looks like a name (two to five capitalised words, no digits).
    private static IEnumerable<string> SplitNames(string names)
    {
        foreach (var raw in NameSeparators().Split(names))
        {
            var person = Titles().Replace(raw, string.Empty);
            var paren = person.IndexOf('(', StringComparison.Ordinal);
            person = (paren >= 0 ? person[..paren] : person).Trim().TrimEnd('.', ';', ':');
            if (PersonName().IsMatch(person))
            {
                yield return person;
            }
        }
    }

    /// The first line of <paramref name="block"/> that is a name ending in a legal form (`Bäckerei Sonnenschein GmbH`).
    private static string? NameWithLegalForm(string block)
    {
        var lines = 0;
        foreach (var raw in block.Split('\n'))
        {
            if (lines++ > MaxLines)
            {
                break;
            }

            var line = raw.Trim();
            if (line.Length is > 3 and <= 80 && LegalFormName().IsMatch(line))
            {
                return line;
            }
        }

        return null;
    }

    private static string Digits(string value) => string.Concat(value.Where(char.IsAsciiDigit));

    /// The Luhn check SIREN, SIRET and the partita IVA carry, so a stray run of digits after a label is not taken.
    private static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return digits.Length > 0 && sum % 10 == 0;
    }

    [GeneratedRegex(@"(?i:USt[\s.-]*Id(?:ent)?[\s.-]*(?:Nr)?|Umsatzsteuer[\s-]*Ident(?:ifikations)?(?:nummer|[\s.-]*Nr)?|UID(?:[\s-]*Nr)?|VAT(?:\s*(?:Reg(?:istration)?|ID|No|Number|Nr))*|(?:N°|Num[ée]ro)?\s*(?:de\s+)?TVA(?:\s+intra-?communautaire)?|BTW(?:[\s-]*(?:nummer|nr|id))*|MWST(?:[\s-]*Nr)?|NIF[\s-]IVA)\b(?:[^\n:：]{0,40}[:：])?[^A-Za-z0-9\n]{0,12}\n?[^A-Za-z0-9\n]{0,6}(?<id>[A-Z]{2,3}[\s.-]?(?:[0-9A-Z][\s.]?){7,14})")]
    private static partial Regex VatLabel();

    // Every member state's VAT id shape (VIES), and the Swiss UID; compact, upper case.
    [GeneratedRegex(@"^(?:ATU\d{8}|BE[01]\d{9}|BG\d{9,10}|CHE\d{9}|CY\d{8}[A-Z]|CZ\d{8,10}|DE\d{9}|DK\d{8}|EE\d{9}|EL\d{9}|ES[A-Z0-9]\d{7}[A-Z0-9]|FI\d{8}|FR[A-HJ-NP-Z0-9]{2}\d{9}|GB(?:\d{12}|\d{9}|GD\d{3}|HA\d{3})|HR\d{11}|HU\d{8}|IE\d[A-Z0-9+*]\d{5}[A-Z]{1,2}|IT\d{11}|LT(?:\d{12}|\d{9})|LU\d{8}|LV\d{11}|MT\d{8}|NL\d{9}B\d{2}|PL\d{10}|PT\d{9}|RO\d{2,10}|SE\d{12}|SI\d{8}|SK\d{10})(?!\d)")]
    private static partial Regex VatShape();

    [GeneratedRegex(@"\b(?<kind>HR[AB])\s?(?<number>\d{1,6})(?:\s(?<suffix>[A-Z]{1,2})\b)?")]
    private static partial Regex Handelsregister();

    [GeneratedRegex(@"(?i:\bSIRET)\b[^0-9\n]{0,15}\n?[^0-9\n]{0,5}(?<id>\d{3}\s?\d{3}\s?\d{3}\s?\d{5})(?!\d)")]
    private static partial Regex Siret();

    [GeneratedRegex(@"(?i:\bSIREN|\bRCS(?:\s+\p{Lu}[\p{L}\- ]{1,30}?)?)\b[^0-9\n]{0,15}\n?[^0-9\n]{0,5}(?<id>\d{3}\s?\d{3}\s?\d{3})(?![\s]?\d)")]
    private static partial Regex Siren();

    [GeneratedRegex(@"\b(?:C\.?I\.?F\.?|N\.?I\.?F\.?)(?!\s?[-‑]?\s?IVA)[^A-Za-z0-9\n]{0,10}\n?(?<id>[A-HJNP-SUVW]-?\d{7}-?[0-9A-J]|\d{8}-?[A-Z])\b")]
    private static partial Regex SpanishTaxId();

    [GeneratedRegex(@"(?i:\bP(?:artita)?\.?\s?IVA|\bP\.\s?I\.)\b[^0-9\n]{0,15}\n?[^0-9\n]{0,5}(?:IT\s?)?(?<id>\d{11})(?!\d)")]
    private static partial Regex PartitaIva();

    [GeneratedRegex(@"(?i:\bK\.?v\.?K\.?|\bKamer\s+van\s+Koophandel)(?i:[\s-]*(?:nummer|nr\.?|number|no\.?))?[^0-9\n]{0,10}\n?[^0-9\n]{0,5}(?<id>\d{8})(?!\d)")]
    private static partial Regex Kvk();

    [GeneratedRegex(@"(?i:\bCompany\s+(?:Registration\s+)?(?:No|Number|Reg(?:istration)?\.?\s*No)|\bRegistered\s+in\s+England(?:\s+(?:and|&)\s+Wales)?(?:\s+(?:with\s+)?(?:company\s+)?(?:No|Number))?|\bRegistered\s+(?:company\s+)?(?:No|Number))\.?[^A-Za-z0-9\n]{0,10}\n?(?<id>[A-Z]{2}\d{6}|\d{8})(?!\d)")]
    private static partial Regex CompanyNumber();

    [GeneratedRegex(@"^(?i:Firma|Firmenname|Firmenbezeichnung|Raison\s+sociale|D[ée]nomination(?:\s+sociale)?|Raz[oó]n\s+social|Denominaci[oó]n\s+social|Ragione\s+sociale|Denominazione(?:\s+sociale)?|Bedrijfsnaam|Statutaire\s+naam|Company\s+name|Registered\s+name|Legal\s+name)\s*[:：]\s*(?<name>.+)$")]
    private static partial Regex NameLabel();

    [GeneratedRegex(@"^(?:.*?[\s,;(])?(?i:Gesch(?:ä|ae)ftsf(?:ü|ue)hr(?:er(?:in)?|ung|ende\s+Gesellschafter(?:in)?)|Vertreten\s+durch|Vertretungsberechtigt(?:e|er)?(?:\s+Geschäftsführer)?|G[ée]rant(?:e|s)?|Directeur(?:\s+g[ée]n[ée]ral)?(?:\s+de\s+(?:la\s+)?publication)?|Directrice(?:\s+de\s+(?:la\s+)?publication)?|Administrador(?:a|es)?(?:\s+(?:[uú]nico|solidario|mancomunado)s?)?|Amministrator(?:e|i)(?:\s+(?:unico|delegato))?|Managing\s+Directors?|Bestuurder(?:s)?|Directeur)\s*(?:\([^)]*\))?\s*[:：]\s*(?<names>[^\n]*)$")]
    private static partial Regex DirectorLabel();

    [GeneratedRegex(@"\s*(?:,|;|/|&|\bund\b|\band\b|\bet\b|\by\b|\be\b|\ben\b)\s*")]
    private static partial Regex NameSeparators();

    [GeneratedRegex(@"(?i)\b(?:Herr|Frau|Dr\.|Prof\.|Dipl\.-[\p{L}]+\.?|Mag\.|Ing\.|M\.|Mme\.?|Mlle\.?|Monsieur|Madame|Sr\.|Sra\.|D\.|Dña\.|Don|Doña|Dott\.(?:ssa)?|Sig\.(?:ra)?|Mr\.?|Mrs\.?|Ms\.?|dhr\.|mevr\.)(?=\s|$)\s*")]
    private static partial Regex Titles();

    [GeneratedRegex(@"^\p{Lu}[\p{L}'’\-]+(?:\s+(?:(?:von|van|der|den|de|di|da|del|della|du|la|le|zu|ten|ter|y)\s+)*\p{Lu}[\p{L}'’\-.]*){1,4}$")]
    private static partial Regex PersonName();

    [GeneratedRegex(@"^[\p{L}\d][\p{L}\d&'’.,\- ]{1,70}?\s(?:GmbH(?:\s&\sCo\.\s?KG)?|gGmbH|AG|KG|OHG|GbR|UG(?:\s\(haftungsbeschränkt\))?|e\.\s?K\.|e\.\s?V\.|SE|SARL|S\.A\.R\.L\.|SAS|SASU|SA|S\.A\.|EURL|SNC|SCI|S\.L\.U?\.?|SLU|S\.r\.l\.s?|Srl|SRL|S\.p\.A\.|SpA|S\.n\.c\.|S\.a\.s\.|B\.V\.|BV|N\.V\.|NV|V\.O\.F\.|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|Corp\.?|PLC|plc|LLP|Pty\.?\s+Ltd\.?)$")]
    private static partial Regex LegalFormName();
}
