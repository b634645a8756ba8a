using System.IO.Pipelines;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace ScraperSky.Data.Spreadsheets;

/// XLSX through MiniExcel, streamed. MiniExcel writes synchronously, and an ASP.NET response body forbids synchronous
/// writes, so MiniExcel runs on a thread of its own, pulling rows through a blocking `IDataReader` and writing into a
/// pipe; this side copies the pipe to the output asynchronously. The pipe's pause threshold is the back-pressure: a
/// slow client stalls MiniExcel and the row source, so memory stays flat however many rows there are.
internal static class XlsxTableWriter
{
    private const long PauseWriterThreshold = 256 * 1024;

    // No fast mode and no auto width: both seek back in the sheet to patch it, which a zip entry being streamed
    // cannot do, and fast mode would also need the whole archive in a seekable stream.
    private static readonly OpenXmlConfiguration Configuration = new()
    {
        FastMode = false,
        EnableAutoWidth = false,
        AutoFilter = true,
        FreezeRowCount = 1,
    };

    public static async Task WriteAsync<T>(
        Stream output, IReadOnlyList<TableColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: PauseWriterThreshold,
            resumeWriterThreshold: PauseWriterThreshold / 2,
            useSynchronizationContext: false));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Factory.StartNew(
            () => Produce(pipe.Writer, columns, rows, stop.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await pipe.Reader.CopyToAsync(output, cancellationToken);
            await pipe.Reader.CompleteAsync();
        }
        catch (Exception e)
        {
            // The output failed (or the producer did, and its error came through the pipe): completing the reader with
            // the error makes MiniExcel's next write throw, and the cancellation frees a wait for the next row.
            await pipe.Reader.CompleteAsync(e);
            await stop.CancelAsync();
            await producer;
            throw;
        }

        await producer;
        await output.FlushAsync(cancellationToken);
    }

    private static void Produce<T>(
        PipeWriter writer, IReadOnlyList<TableColumn<T>> columns, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        try
        {
            using (var reader = new TableDataReader<T>(columns, rows, cancellationToken))
            using (var stream = writer.AsStream(leaveOpen: true))
            {
                MiniExcel.SaveAs(stream, reader, printHeader: true, sheetName: "Sheet1", excelType: ExcelType.XLSX, configuration: Configuration);
                stream.Flush();
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            // Handed to the copying side, which rethrows it to the caller.
            writer.Complete(e);
        }
    }
}
