namespace ScraperSky.Data.Spreadsheets;

/// An uploaded domain list as read: its header names (padded to the widest row), which column holds the domains,
/// and every non-blank data row.
public sealed record DomainTable(IReadOnlyList<string> Headers, int DomainColumnIndex, IReadOnlyList<DomainTableRow> Rows);

/// One data row. `Row` is the row number a spreadsheet shows for it (the header is row 1; blank rows are skipped but
/// still counted), `Input` the domain cell as written, `Cells` the whole row padded to the header count.
public sealed record DomainTableRow(int Row, string Input, IReadOnlyList<string> Cells);
