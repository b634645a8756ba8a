using System.Globalization;

namespace ScraperSky.Data.Spreadsheets;

/// Reads an uploaded domain list: CSV in any common dialect or an XLSX workbook (told apart by the zip signature,
/// not the file name), with or without a header row. Every non-blank row is kept, an invalid domain too: the caller
/// turns it into a failed job, so the user sees it in the results. Anything unreadable is a `DomainTableException`
/// that says what is wrong and where.
public static class DomainTableReader
{
    /// Larger uploads are refused before parsing; the whole file is held in memory while it is read.
    public const int MaxFileBytes = 64 * 1024 * 1024;

    private const string HeaderlessDomainName = "domain";

    public static async Task<DomainTable> ReadAsync(
        Stream content, string? fileName, string? column, int maxRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        using var file = await BufferAsync(content, cancellationToken);
        var rows = Open(file, fileName, cancellationToken);
        return Build(rows, column, maxRows);
    }

    private static async Task<MemoryStream> BufferAsync(Stream content, CancellationToken cancellationToken)
    {
        var file = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (file.Length + read > MaxFileBytes)
            {
                await file.DisposeAsync();
                throw new DomainTableException($"The file is larger than {MaxFileBytes / (1024 * 1024):N0} MiB.");
            }

            file.Write(buffer, 0, read);
        }

        return file;
    }

    private static IEnumerable<SourceRow> Open(MemoryStream file, string? fileName, CancellationToken cancellationToken)
    {
        var bytes = file.GetBuffer().AsMemory(0, (int)file.Length);
        var head = bytes.Span;
        if (head.IsEmpty)
        {
            throw new DomainTableException("The file is empty.");
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return XlsxSource.Read(file, cancellationToken);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
        {
            throw new DomainTableException("Old Excel files (.xls) are not supported: save the file as XLSX or CSV.");
        }

        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (extension is ".xlsx" or ".xlsm")
        {
            throw new DomainTableException($"The file is named {extension} but is not an XLSX workbook.");
        }

        if (extension is ".xls" or ".ods" or ".numbers" or ".pdf" or ".docx")
        {
            throw new DomainTableException($"{extension} files are not supported: upload CSV or XLSX.");
        }

        return CsvSource.Read(bytes, cancellationToken);
    }

    private static DomainTable Build(IEnumerable<SourceRow> source, string? column, int maxRows)
    {
        // The first non-blank row may be a header; keep it and up to maxRows more, then only count.
        var kept = new List<SourceRow>();
        var total = 0;
        foreach (var row in source)
        {
            if (row.IsBlank)
            {
                continue;
            }

            total++;
            if (kept.Count <= maxRows)
            {
                kept.Add(row);
            }
        }

        if (kept.Count == 0)
        {
            throw new DomainTableException("The file is empty.");
        }

        var first = kept[0];
        var hasHeader = HasHeader(first.Cells, column);
        var dataCount = total - (hasHeader ? 1 : 0);
        if (dataCount > maxRows)
        {
            throw new DomainTableException(string.Create(
                CultureInfo.InvariantCulture, $"The file has {dataCount:N0} rows; the limit is {maxRows:N0}."));
        }

        var data = hasHeader ? kept.Skip(1).ToList() : kept;
        if (data.Count == 0)
        {
            throw new DomainTableException($"The file has a header row ({Describe(first.Cells)}) but no rows below it.");
        }

        var headerCells = hasHeader ? first.Cells : null;
        // Empty cells past the last filled one (the trailing delimiters some exports write) add no column.
        var width = Math.Max(headerCells?.Length ?? 0, data.Max(r => FilledWidth(r.Cells)));
        var index = FindColumn(headerCells, data, column, width);
        var headers = Headers(headerCells, index, width);
        var rows = data.Select(r => new DomainTableRow(r.Row, Cell(r.Cells, index), Pad(r.Cells, headers.Length))).ToList();
        return new DomainTable(headers, index, rows);
    }

    // A first row is data, not a header, when one of its cells is a domain and none reads like a column name.
    private static bool HasHeader(string[] first, string? column)
    {
        if (column is not null && first.Any(c => string.Equals(c.Trim(), column.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return first.Any(DomainColumn.IsHeaderName) || !first.Any(DomainColumn.LooksLikeDomain);
    }

    private static int FindColumn(string[]? headers, List<SourceRow> data, string? column, int width)
    {
        if (!string.IsNullOrWhiteSpace(column))
        {
            return DomainColumn.Named(column, headers, width)
                ?? throw new DomainTableException(headers is null
                    ? $"The file has no column '{column.Trim()}': it has no header row and {width:N0} column{(width == 1 ? "" : "s")} (A to {DomainColumn.Letter(width - 1)})."
                    : $"The file has no column '{column.Trim()}' (the file has: {Describe(headers)}).");
        }

        return (headers is null ? null : DomainColumn.ByHeader(headers))
            ?? DomainColumn.ByValues(data.Select(r => r.Cells).ToList(), width)
            ?? throw new DomainTableException(headers is null
                ? "No column looks like domains: name a column with 'column'."
                : $"No column looks like domains: name a column with 'column' (the file has: {Describe(headers)}).");
    }

    // Headers for every column: the file's own, widened to the widest row; without a header row, "domain" for the
    // domain column and "column_N" for the others.
    private static string[] Headers(string[]? headers, int domainIndex, int width)
    {
        var names = new string[width];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = headers is not null && i < headers.Length
                ? headers[i]
                : i == domainIndex && headers is null
                    ? HeaderlessDomainName
                    : "column_" + (i + 1).ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static int FilledWidth(string[] cells)
    {
        var width = cells.Length;
        while (width > 1 && string.IsNullOrWhiteSpace(cells[width - 1]))
        {
            width--;
        }

        return width;
    }

    private static string Cell(string[] cells, int index) => index < cells.Length ? cells[index] : "";

    private static string[] Pad(string[] cells, int width)
    {
        if (cells.Length == width)
        {
            return cells;
        }

        var padded = new string[width];
        Array.Fill(padded, "");
        cells.AsSpan(0, Math.Min(cells.Length, width)).CopyTo(padded);
        return padded;
    }

    private static string Describe(IEnumerable<string> headers) =>
        string.Join(", ", headers.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()));
}
