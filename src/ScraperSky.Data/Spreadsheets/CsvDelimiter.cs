namespace ScraperSky.Data.Spreadsheets;

/// Guesses a CSV file's delimiter (comma, semicolon or tab) from its first lines: the one that splits the most lines
/// into as many fields as the first line, counting only delimiters outside quotes. Excel in much of Europe writes
/// semicolons, because the comma is its decimal mark; a file with one column has none and reads as comma-separated.
internal static class CsvDelimiter
{
    private const int SampleLines = 20;
    private const int SampleChars = 64 * 1024;
    private static readonly char[] Candidates = [',', ';', '\t'];

    public static char Sniff(string text)
    {
        var counts = new List<int[]>();
        var current = new int[Candidates.Length];
        var quoted = false;
        var lineStart = 0;
        var end = Math.Min(text.Length, SampleChars);
        for (var i = 0; i < end && counts.Count < SampleLines; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                // Blank lines before the header say nothing about the delimiter.
                if (i > lineStart)
                {
                    counts.Add(current);
                    current = new int[Candidates.Length];
                }

                if (c == '\r' && i + 1 < end && text[i + 1] == '\n')
                {
                    i++;
                }

                lineStart = i + 1;
            }
            else if (!quoted && Array.IndexOf(Candidates, c) is var index and >= 0)
            {
                current[index]++;
            }
        }

        if (counts.Count < SampleLines && current.Any(n => n > 0))
        {
            counts.Add(current);
        }

        var best = ',';
        var bestScore = 0;
        var bestFirst = 0;
        for (var k = 0; k < Candidates.Length; k++)
        {
            var first = counts.Count > 0 ? counts[0][k] : 0;
            if (first == 0)
            {
                continue;
            }

            var score = counts.Count(line => line[k] == first);
            if (score > bestScore || (score == bestScore && first > bestFirst))
            {
                (best, bestScore, bestFirst) = (Candidates[k], score, first);
            }
        }

        return best;
    }
}
