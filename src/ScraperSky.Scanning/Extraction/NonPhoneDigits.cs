using System.Text.RegularExpressions;

namespace ScraperSky.Scanning.Extraction;

/// Digits in the phone finder's candidate text that no phone can be made of, blanked before libphonenumber's matcher
/// sees them: the matcher parses every digit group it finds, and a group such as the `00` of `594,00 €` or the `7` of
/// `14.7.2024` makes `PhoneNumberUtil.Parse` throw (a dozen exceptions a page, tens of microseconds each under load).
/// A group is what the matcher could take as one candidate: digits joined by the characters it allows between them
/// (spaces, dashes, dots, slashes, brackets, `x`, `+`). Digits become `_`, so positions and lengths stay and the
/// matcher's and <see cref="PhoneFinder"/>'s checks of the characters around a number (a letter, a currency symbol,
/// white space) read what they read before.
internal static partial class NonPhoneDigits
{
    // No region's valid numbers are shorter than this (libphonenumber's shortest general lengths are 4 digits).
    private const int MinPhoneDigits = 4;

    // An extension (`ext. 12`, `x 12`, `# 12`) follows its number within this many characters and keeps its digits.
    private const int ExtensionReach = 12;

    /// Whether every number the matcher could read in the group from <paramref name="leadStart"/> (where the characters
    /// joined to its first digit start) to <paramref name="end"/> would be refused in its context anyway.
    public delegate bool RefusedGroup(ReadOnlySpan<char> text, int leadStart, int end);

    /// Blanks <paramref name="text"/> in place, and with <paramref name="refused"/> the groups it refuses that stand
    /// alone. A group's checks read the characters before it as written, so each group is blanked only once the next
    /// one has been judged.
    public static void Blank(Span<char> text, RefusedGroup? refused = null)
    {
        var keptEnd = -1;
        var (pendingStart, pendingEnd) = (0, 0);
        var i = 0;
        while (i < text.Length)
        {
            var start = text[i..].IndexOfAnyInRange('0', '9');
            if (start < 0)
            {
                break;
            }

            start += i;

            // Digits beyond ASCII before it in the same group (the ASCII search skipped them).
            for (var j = start - 1; j >= i && Joins(text[j]); j--)
            {
                start = char.IsDigit(text[j]) ? j : start;
            }

            var (end, digits) = Group(text, start);
            i = end;
            var piece = text[start..end];
            var afterKept = keptEnd >= 0 && start - keptEnd <= ExtensionReach && !text[keptEnd..start].Contains('\n');
            var notPhone = (digits < MinPhoneDigits && !afterKept)
                || (digits <= MinPhoneDigits && PartOfDecimalOrTime(text, start, end))
                || DateLike().IsMatch(piece);

            // A refused number is blanked all the same, but still reaches what follows it as before: a short group
            // after it is read as it was (`030 EXT` can be a number).
            var refusedNumber = !notPhone && digits >= MinPhoneDigits && refused is not null && StandsAlone(text, start, end)
                && refused(text, LeadStart(text, start), end);
            BlankDigits(text[pendingStart..pendingEnd]);
            (pendingStart, pendingEnd) = notPhone || refusedNumber ? (start, end) : (0, 0);
            if (!notPhone && digits >= MinPhoneDigits)
            {
                keptEnd = end;
            }
        }

        BlankDigits(text[pendingStart..pendingEnd]);
    }

    private static void BlankDigits(Span<char> group)
    {
        foreach (ref var c in group)
        {
            if (char.IsDigit(c))
            {
                c = '_';
            }
        }
    }

    /// The end of the digit group starting at <paramref name="start"/> (after its last digit) and its digit count.
    private static (int End, int Digits) Group(ReadOnlySpan<char> text, int start)
    {
        var end = start;
        var digits = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsDigit(c))
            {
                digits++;
                end = i + 1;
            }
            else if (!Joins(c))
            {
                break;
            }
        }

        return (end, digits);
    }

    /// Where the characters joined to the digit at <paramref name="start"/> before it start.
    private static int LeadStart(ReadOnlySpan<char> text, int start)
    {
        while (start > 0 && Joins(text[start - 1]) && !char.IsDigit(text[start - 1]))
        {
            start--;
        }

        return start;
    }

    /// Whether blanking the group from <paramref name="start"/> (its first digit) to <paramref name="end"/> leaves what
    /// the matcher reads of every other number as it was: the group is no number's extension (`030 1234567, ext. 1234`),
    /// takes no extension after it, and no time stamp's check reads its first digits (`08:00`).
    private static bool StandsAlone(ReadOnlySpan<char> text, int start, int end)
    {
        // Before it: a number's last digit, separators, an extension label, `:` or `.`, separators.
        var i = start - 1;
        while (i >= 0 && text[i] is ' ' or '\u00A0' or '\t' or ',' or '-')
        {
            i--;
        }

        if (i >= 0 && text[i] is ':' or '.' or '\uFF0E')
        {
            if (i > 0 && char.IsDigit(text[i - 1]) && i == start - 1)
            {
                return false;
            }

            i--;
        }

        var labelEnd = i + 1;
        while (i >= 0 && IsLabelCharacter(text[i]))
        {
            i--;
        }

        if (i + 1 < labelEnd && ExtensionLabels.Contains(text[(i + 1)..labelEnd]))
        {
            while (i >= 0 && text[i] is ' ' or '\u00A0' or '\t' or ',')
            {
                i--;
            }

            if (i >= 0 && char.IsDigit(text[i]))
            {
                return false;
            }
        }

        // After it: separators and an extension label.
        var j = end;
        while (j < text.Length && text[j] is ' ' or '\u00A0' or '\t' or ',')
        {
            j++;
        }

        var labelStart = j;
        while (j < text.Length && IsLabelCharacter(text[j]))
        {
            j++;
        }

        return labelStart == j || !ExtensionLabels.Contains(text[labelStart..j]);
    }

    private static bool IsLabelCharacter(char c) =>
        char.IsLetter(c) || c is '#' or '\uFF03' or '~' or '\uFF5E' or ';' or '=' or '\u0301';

    // The labels libphonenumber's matcher reads an extension after, ignoring case (its extension pattern for matching:
    // `e?xt(ensi(ó|ó))?n?` and its full-width form, `доб`, `anexo`, `x`, `#`, `~`, `int` and `;ext=`).
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ExtensionLabels = new HashSet<string>(
        from e in new[] { "", "e" }
        from n in new[] { "", "n" }
        from middle in new[] { "", "ensio", "ensio\u0301", "ensi\u00F3" }
        select e + "xt" + middle + n,
        StringComparer.OrdinalIgnoreCase)
    {
        "\uFF58\uFF54", "\uFF45\uFF58\uFF54", "\uFF58\uFF54\uFF4E", "\uFF45\uFF58\uFF54\uFF4E", "\u0434\u043E\u0431", "anexo",
        "x", "\uFF58", "#", "\uFF03", "~", "\uFF5E", "int", "\uFF49\uFF4E\uFF54", ";ext=",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    /// Characters libphonenumber's matcher lets stand between the digits of one candidate (its `VALID_PUNCTUATION`,
    /// spaces and `+`); a comma or a colon ends a candidate.
    private static bool Joins(char c) => c is ' ' or '\u00A0' or '\t' or '-' or '.' or '/' or '(' or ')' or '[' or ']' or '~'
        or 'x' or 'X' or '+' or '\u00AD' or '\u200B' or '\u2060' or '\u3000' or '\u2053' or '\u223C' or '\uFF5E' or '\uFF08'
        or '\uFF09' or '\uFF3B' or '\uFF3D' or '\uFF0B' or (>= '\u2010' and <= '\u2015') or '\u2212' or '\u30FC'
        or (>= '\uFF0D' and <= '\uFF0F') || char.IsDigit(c);

    /// Whether the group is a part of `1.234,50` or `9:00`: a comma or colon joins it to digits on either side.
    private static bool PartOfDecimalOrTime(ReadOnlySpan<char> text, int start, int end) =>
        (start >= 2 && text[start - 1] is ',' or ':' && char.IsAsciiDigit(text[start - 2]))
        || (end + 1 < text.Length && text[end] is ',' or ':' && char.IsAsciiDigit(text[end + 1]));

    [GeneratedRegex(@"^\(?\d{1,4}\)?[./-]\d{1,2}[./-]\d{1,4}$")]
    private static partial Regex DateLike();
}
