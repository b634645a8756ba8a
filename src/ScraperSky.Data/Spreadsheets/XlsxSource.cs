using System.Globalization;
using System.IO.Compression;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace ScraperSky.Data.Spreadsheets;

/// The rows of an XLSX workbook's first sheet, read with MiniExcel. Before MiniExcel sees the file, the zip's
/// directory is checked against caps on entries and uncompressed size: .NET's zip reader never inflates an entry
/// beyond the size its directory declares, so the declared sizes bound the work (a zip bomb stops here).
internal static class XlsxSource
{
    public const long MaxUncompressedBytes = 256L * 1024 * 1024;
    private const int MaxEntries = 10_000;

    private static readonly OpenXmlConfiguration Configuration = new() { FillMergedCells = false };

    public static IEnumerable<SourceRow> Read(MemoryStream file, CancellationToken cancellationToken)
    {
        CheckArchive(file);
        file.Position = 0;
        IEnumerator<object> rows;
        try
        {
            rows = MiniExcel.Query(file, useHeaderRow: false, excelType: ExcelType.XLSX, configuration: Configuration).GetEnumerator();
        }
        catch (Exception e) when (e is not OperationCanceledException and not DomainTableException)
        {
            throw Unreadable(e);
        }

        return Enumerate(rows, cancellationToken);
    }

    private static IEnumerable<SourceRow> Enumerate(IEnumerator<object> rows, CancellationToken cancellationToken)
    {
        using (rows)
        {
            // MiniExcel yields every row from the first, blank ones included, so the count is the sheet's row number.
            var row = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                IDictionary<string, object?> cells;
                try
                {
                    if (!rows.MoveNext())
                    {
                        yield break;
                    }

                    cells = (IDictionary<string, object?>)rows.Current;
                }
                catch (Exception e) when (e is not OperationCanceledException and not DomainTableException)
                {
                    throw Unreadable(e);
                }

                row++;
                yield return new SourceRow(row, ToCells(cells));
            }
        }
    }

    private static void CheckArchive(MemoryStream file)
    {
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxEntries)
            {
                throw new DomainTableException($"The XLSX file has {zip.Entries.Count:N0} parts; a workbook has far fewer.");
            }

            if (zip.GetEntry("mimetype") is not null)
            {
                throw new DomainTableException("OpenDocument spreadsheets (.ods) are not supported: save the file as XLSX or CSV.");
            }

            if (zip.GetEntry("xl/workbook.xml") is null)
            {
                throw new DomainTableException("The file is a zip archive but not an XLSX workbook.");
            }

            var total = zip.Entries.Sum(e => e.Length);
            if (total > MaxUncompressedBytes)
            {
                throw new DomainTableException(
                    $"The XLSX file unpacks to {total / (1024 * 1024):N0} MiB; the limit is {MaxUncompressedBytes / (1024 * 1024):N0} MiB.");
            }
        }
        catch (InvalidDataException e)
        {
            throw new DomainTableException("The file starts like an XLSX workbook but is not a valid zip archive.", e);
        }
    }

    private static string[] ToCells(IDictionary<string, object?> row)
    {
        var width = 0;
        foreach (var key in row.Keys)
        {
            width = Math.Max(width, ColumnIndex(key) + 1);
        }

        var cells = new string[width];
        Array.Fill(cells, "");
        foreach (var (key, value) in row)
        {
            cells[ColumnIndex(key)] = ToText(value);
        }

        return cells;
    }

    // MiniExcel keys cells by column letters: A, B, ..., Z, AA, ...
    private static int ColumnIndex(string letters)
    {
        var index = 0;
        foreach (var c in letters)
        {
            index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return index - 1;
    }

    private static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        // Invariant culture, and no ".0" on whole numbers: a phone number typed as a number reads 4930123456.
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => TableCell.ToText(value) ?? "",
    };

    private static DomainTableException Unreadable(Exception error) =>
        new($"The XLSX file cannot be read: {error.Message}", error);
}
