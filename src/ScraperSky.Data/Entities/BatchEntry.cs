namespace ScraperSky.Data.Entities;

/// One entry of a batch as the user sent it: its position, the text, and for an uploaded file the whole row. Entries
/// that normalise to the same domain share one job.
public sealed class BatchEntry
{
    public long Id { get; set; }
    public Guid BatchId { get; set; }

    /// 1-based position in the submission; for a file, the row number a spreadsheet shows.
    public int Row { get; set; }

    /// The entry as sent (for a file, the domain column's cell).
    public required string Input { get; set; }
    public Guid JobId { get; set; }

    /// For an uploaded file: every cell of the row, as a JSON array in the order of the batch's `Columns`.
    public string? Cells { get; set; }
}
